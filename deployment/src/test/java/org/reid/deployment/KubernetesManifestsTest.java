package org.reid.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay with kubectl kustomize, parses every object as its typed kind and checks the
 * rules the deployment depends on.
 */
class KubernetesManifestsTest {
    static final String SERVICE = "reid-service";
    static final String RETRAIN = "reid-retrain";
    static final String POSTGRES_LABEL = "reid-postgres";
    static final String NAME_LABEL = "app.kubernetes.io/name";

    static List<HasMetadata> render(String overlay) {
        return KubernetesObjects.parse(Kubectl.kustomize(RepositoryRoot.resolve("k8s/overlays/" + overlay)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectIsATypedKindInOneNamespace(String overlay) {
        List<HasMetadata> objects = render(overlay);
        assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service",
                "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap", "CronJob", "NetworkPolicy");
        Set<String> namespaces = objects.stream().filter(o -> !o.getKind().equals("Namespace"))
                .map(o -> o.getMetadata().getNamespace()).collect(Collectors.toSet());
        assertThat(namespaces).as("namespaces of %s", overlay).hasSize(1).doesNotContainNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theServiceRunsReplicatedWithReadinessAndLivenessProbes(String overlay) {
        List<HasMetadata> objects = render(overlay);
        Deployment deployment = KubernetesObjects.single(objects, Deployment.class, SERVICE);
        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        Container service = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(service.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertProbe(service, service.getReadinessProbe(), "/actuator/health/readiness");
        assertProbe(service, service.getLivenessProbe(), "/actuator/health/liveness");
        // The index volume (reid.data-dir) and /tmp are writable under a read-only root file system.
        assertThat(service.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/data", "/tmp");
        assertThat(service.getEnvFrom()).extracting(e -> e.getConfigMapRef().getName()).isNotEmpty();
        ConfigMap config = KubernetesObjects.single(objects, ConfigMap.class,
                service.getEnvFrom().get(0).getConfigMapRef().getName());
        assertThat(config.getData()).containsEntry("REID_DATADIR", "/data").containsEntry("SPRING_PROFILES_ACTIVE", "prod")
                .containsKey("SPRING_DATASOURCE_URL");
        assertThat(envNames(service)).contains("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "REID_ADMIN_KEY");
    }

    private static void assertProbe(Container container, Probe probe, String path) {
        assertThat(probe).as("%s probe on %s", path, container.getName()).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        Object port = probe.getHttpGet().getPort().getValue();
        assertThat(container.getPorts()).as("probe port %s is a container port", port)
                .anyMatch(p -> port.equals(p.getName()) || port.equals(p.getContainerPort()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerHasCpuAndMemoryRequestsAndLimits(String overlay) {
        for (PodTemplates.Workload w : PodTemplates.workloads(render(overlay))) {
            for (Container c : PodTemplates.allContainers(w.spec())) {
                String where = w.id() + " container " + c.getName();
                assertThat(c.getResources()).as(where).isNotNull();
                assertThat(c.getResources().getRequests()).as(where + " requests").containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as(where + " limits").containsKeys("cpu", "memory");
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = c.getResources().getRequests().get(resource);
                    Quantity limit = c.getResources().getLimits().get(resource);
                    assertThat(request.getNumericalAmount()).as(where + " " + resource + " request <= limit")
                            .isLessThanOrEqualTo(limit.getNumericalAmount());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPodRunsAsNonRootOnAReadOnlyRootWithNoCapabilities(String overlay) {
        for (PodTemplates.Workload w : PodTemplates.workloads(render(overlay))) {
            PodSecurityContext pod = w.spec().getSecurityContext();
            for (Container c : PodTemplates.allContainers(w.spec())) {
                String where = w.id() + " container " + c.getName();
                SecurityContext sc = c.getSecurityContext();
                assertThat(sc).as(where + " securityContext").isNotNull();
                boolean nonRoot = Boolean.TRUE.equals(sc.getRunAsNonRoot())
                        || (pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot()) && sc.getRunAsNonRoot() == null);
                assertThat(nonRoot).as(where + " runAsNonRoot").isTrue();
                Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
                assertThat(uid).as(where + " runAsUser").isNotNull().isNotZero();
                assertThat(sc.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
                assertThat(sc.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                assertThat(sc.getCapabilities().getDrop()).as(where + " capabilities.drop").contains("ALL");
                assertThat(c.getVolumeMounts()).as(where + " mounts only defined volumes")
                        .extracting(VolumeMount::getName).isSubsetOf(w.volumeNames());
                assertThat(c.getVolumeMounts()).as(where + " has a writable /tmp")
                        .extracting(VolumeMount::getMountPath).contains("/tmp");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRetrainingRunsOnOneGpuNodeNeverTwiceAtOnceWithADeadlineAndBackoff(String overlay) {
        CronJob cronJob = KubernetesObjects.single(render(overlay), CronJob.class, RETRAIN);
        assertThat(cronJob.getSpec().getConcurrencyPolicy()).as("concurrencyPolicy").isEqualTo("Forbid");
        assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).isPositive();
        JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
        assertThat(job.getActiveDeadlineSeconds()).as("activeDeadlineSeconds").isPositive();
        assertThat(job.getBackoffLimit()).as("backoffLimit").isNotNull().isBetween(0, 6);
        var pod = job.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isIn("Never", "OnFailure");
        assertThat(pod.getNodeSelector()).as("GPU node selector").isNotEmpty();
        assertThat(pod.getTolerations()).extracting(Toleration::getKey).contains("nvidia.com/gpu");
        Container trainer = pod.getContainers().get(0);
        assertThat(trainer.getResources().getLimits().get("nvidia.com/gpu")).as("nvidia.com/gpu limit").isEqualTo(new Quantity("1"));
        assertThat(trainer.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/work");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyImageIsPinnedAndBuiltByTheRepositoryOrUsedByCompose(String overlay) {
        Set<String> composeImages = BuiltImages.all();
        for (PodTemplates.Workload w : PodTemplates.workloads(render(overlay))) {
            for (Container c : PodTemplates.allContainers(w.spec())) {
                String image = c.getImage();
                String tag = BuiltImages.tag(image);
                assertThat(tag).as(w.id() + " image " + image + " has a tag").isNotNull();
                assertThat(tag).as(w.id() + " image " + image).isNotEqualTo("latest");
                assertThat(composeImages).as(w.id() + " image " + image + " is one docker-compose.yml builds or runs")
                        .contains(image);
            }
        }
        Set<String> used = PodTemplates.workloads(render(overlay)).stream()
                .flatMap(w -> w.spec().getContainers().stream()).map(Container::getImage).collect(Collectors.toSet());
        assertThat(used).containsAll(BuiltImages.byDockerfile().values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheServiceAndTheTrainingJobReachPostgres(String overlay) {
        List<HasMetadata> objects = render(overlay);
        NetworkPolicy policy = KubernetesObjects.ofKind(objects, NetworkPolicy.class).stream()
                .filter(p -> POSTGRES_LABEL.equals(p.getSpec().getPodSelector().getMatchLabels().get(NAME_LABEL)))
                .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy selects the PostgreSQL pods"));
        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
        Map<String, String> servicePods = KubernetesObjects.single(objects, Deployment.class, SERVICE)
                .getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> jobPods = KubernetesObjects.single(objects, CronJob.class, RETRAIN)
                .getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getLabels();
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertThat(rules).isNotEmpty();
        boolean serviceAllowed = false;
        boolean jobAllowed = false;
        for (NetworkPolicyIngressRule rule : rules) {
            assertThat(rule.getFrom()).as("an ingress rule without 'from' admits every pod").isNotEmpty();
            assertThat(rule.getPorts()).as("ports").isNotEmpty()
                    .allSatisfy(p -> assertThat(p.getPort().getValue()).isEqualTo(5432));
            for (NetworkPolicyPeer peer : rule.getFrom()) {
                assertThat(peer.getIpBlock()).as("ipBlock peer").isNull();
                assertThat(peer.getNamespaceSelector()).as("namespaceSelector peer").isNull();
                assertThat(peer.getPodSelector()).isNotNull();
                assertThat(peer.getPodSelector().getMatchExpressions()).isNullOrEmpty();
                Map<String, String> wanted = peer.getPodSelector().getMatchLabels();
                assertThat(wanted).as("an empty pod selector admits every pod").isNotEmpty();
                boolean service = servicePods.entrySet().containsAll(wanted.entrySet());
                boolean job = jobPods.entrySet().containsAll(wanted.entrySet());
                assertThat(service || job).as("peer %s selects neither the service nor the training job", wanted).isTrue();
                serviceAllowed |= service;
                jobAllowed |= job;
            }
        }
        assertThat(serviceAllowed).as("the service may reach PostgreSQL").isTrue();
        assertThat(jobAllowed).as("the training job may reach PostgreSQL").isTrue();
        // the PostgreSQL StatefulSets (prod's Solr and ZooKeeper are StatefulSets too)
        for (StatefulSet postgres : KubernetesObjects.ofKind(objects, StatefulSet.class).stream()
                .filter(s -> s.getSpec().getTemplate().getSpec().getContainers().stream()
                        .anyMatch(c -> c.getImage().startsWith("postgres:")))
                .toList()) {
            assertThat(matches(policy.getSpec().getPodSelector(), postgres.getSpec().getTemplate().getMetadata().getLabels()))
                    .as("the NetworkPolicy selects the pods of StatefulSet " + postgres.getMetadata().getName()).isTrue();
        }
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theAutoscalerAndDisruptionBudgetKeepTwoServicePods(String overlay) {
        List<HasMetadata> objects = render(overlay);
        Deployment deployment = KubernetesObjects.single(objects, Deployment.class, SERVICE);
        HorizontalPodAutoscaler hpa = KubernetesObjects.single(objects, HorizontalPodAutoscaler.class, SERVICE);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(SERVICE);
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(deployment.getSpec().getReplicas());
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
        PodDisruptionBudget pdb = KubernetesObjects.single(objects, PodDisruptionBudget.class, SERVICE);
        assertThat(matches(pdb.getSpec().getSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isPositive().isLessThan(hpa.getSpec().getMinReplicas());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/actuator/prometheus")
                .containsEntry("prometheus.io/port", "8080");
        io.fabric8.kubernetes.api.model.Service service = KubernetesObjects.single(objects,
                io.fabric8.kubernetes.api.model.Service.class, SERVICE);
        assertThat(service.getSpec().getSelector().entrySet())
                .isSubsetOf(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet());
    }

    private static Set<String> envNames(Container c) {
        return c.getEnv().stream().map(e -> e.getName()).filter(Objects::nonNull).collect(Collectors.toSet());
    }
}
