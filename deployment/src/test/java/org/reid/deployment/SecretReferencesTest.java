package org.reid.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Secrets are referenced, never committed with real values: prod renders no Secret at all and every
 * key it reads is listed (with placeholders) in k8s/base/secret.example.yaml; dev generates fake ones.
 * Every ConfigMap and Secret key a workload reads exists.
 */
class SecretReferencesTest {

    record Reference(String kind, String name, String key, boolean optional, String from) {
    }

    static List<Reference> references(List<HasMetadata> objects) {
        List<Reference> refs = new ArrayList<>();
        for (PodTemplates.Workload w : PodTemplates.workloads(objects)) {
            for (Container c : PodTemplates.allContainers(w.spec())) {
                for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var s = env.getValueFrom().getSecretKeyRef();
                    if (s != null) {
                        refs.add(new Reference("Secret", s.getName(), s.getKey(), Boolean.TRUE.equals(s.getOptional()), w.id()));
                    }
                    var m = env.getValueFrom().getConfigMapKeyRef();
                    if (m != null) {
                        refs.add(new Reference("ConfigMap", m.getName(), m.getKey(), Boolean.TRUE.equals(m.getOptional()), w.id()));
                    }
                }
                for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                    if (from.getConfigMapRef() != null) {
                        refs.add(new Reference("ConfigMap", from.getConfigMapRef().getName(), null,
                                Boolean.TRUE.equals(from.getConfigMapRef().getOptional()), w.id()));
                    }
                    if (from.getSecretRef() != null) {
                        refs.add(new Reference("Secret", from.getSecretRef().getName(), null,
                                Boolean.TRUE.equals(from.getSecretRef().getOptional()), w.id()));
                    }
                }
            }
            for (Volume v : w.spec().getVolumes() == null ? List.<Volume>of() : w.spec().getVolumes()) {
                if (v.getSecret() != null) {
                    boolean optional = Boolean.TRUE.equals(v.getSecret().getOptional());
                    if (v.getSecret().getItems() == null) {
                        refs.add(new Reference("Secret", v.getSecret().getSecretName(), null, optional, w.id()));
                    } else {
                        v.getSecret().getItems().forEach(i ->
                                refs.add(new Reference("Secret", v.getSecret().getSecretName(), i.getKey(), optional, w.id())));
                    }
                }
            }
        }
        return refs;
    }

    /** Kind/name to its keys. */
    static Map<String, Set<String>> keys(List<HasMetadata> objects) {
        Map<String, Set<String>> keys = new HashMap<>();
        for (ConfigMap m : KubernetesObjects.ofKind(objects, ConfigMap.class)) {
            keys.put("ConfigMap/" + m.getMetadata().getName(), m.getData() == null ? Set.of() : m.getData().keySet());
        }
        for (Secret s : KubernetesObjects.ofKind(objects, Secret.class)) {
            Set<String> k = new HashSet<>();
            if (s.getData() != null) {
                k.addAll(s.getData().keySet());
            }
            if (s.getStringData() != null) {
                k.addAll(s.getStringData().keySet());
            }
            keys.put("Secret/" + s.getMetadata().getName(), k);
        }
        return keys;
    }

    @Test
    void prodRendersNoSecretAndTheExampleListsEveryKeyItReads() throws IOException {
        List<HasMetadata> prod = KubernetesManifestsTest.render("prod");
        assertThat(KubernetesObjects.ofKind(prod, Secret.class)).as("Secrets in the prod render").isEmpty();
        List<HasMetadata> example = KubernetesObjects.parse(Files.readString(RepositoryRoot.resolve("k8s/base/secret.example.yaml")));
        Map<String, Set<String>> available = keys(example);
        available.putAll(keys(prod));
        for (Secret s : KubernetesObjects.ofKind(example, Secret.class)) {
            assertThat(s.getStringData().values()).as("placeholders only in " + s.getMetadata().getName())
                    .allSatisfy(v -> assertThat(v).contains("REPLACE_ME"));
        }
        assertResolved(references(prod), available);
    }

    @Test
    void devGeneratesEverySecretItReadsWithObviouslyFakeValues() {
        List<HasMetadata> dev = KubernetesManifestsTest.render("dev");
        assertResolved(references(dev), keys(dev));
        for (Secret s : KubernetesObjects.ofKind(dev, Secret.class)) {
            assertThat(s.getData()).as(s.getMetadata().getName()).isNotEmpty();
            s.getData().forEach((k, v) -> {
                String value = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
                if (k.equals("password") || k.equals("admin-key")) {
                    assertThat(value).as(s.getMetadata().getName() + "/" + k + " says it is not a secret").contains("not-a-secret");
                }
            });
        }
    }

    private static void assertResolved(List<Reference> refs, Map<String, Set<String>> available) {
        assertThat(refs).isNotEmpty();
        for (Reference r : refs) {
            Set<String> keys = available.get(r.kind() + "/" + r.name());
            String where = r.from() + " reads " + r.kind() + " " + r.name() + (r.key() == null ? "" : " key " + r.key());
            if (keys == null || (r.key() != null && !keys.contains(r.key()))) {
                assertThat(r.optional()).as(where + ", which does not exist").isTrue();
            }
        }
    }
}
