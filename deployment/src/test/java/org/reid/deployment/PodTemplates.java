package org.reid.deployment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The pod template inside each workload kind the manifests use. */
final class PodTemplates {
    private PodTemplates() {
    }

    static Optional<PodTemplateSpec> of(HasMetadata object) {
        if (object instanceof Deployment d) {
            return Optional.of(d.getSpec().getTemplate());
        }
        if (object instanceof StatefulSet s) {
            return Optional.of(s.getSpec().getTemplate());
        }
        if (object instanceof CronJob c) {
            return Optional.of(c.getSpec().getJobTemplate().getSpec().getTemplate());
        }
        return Optional.empty();
    }

    /** Every workload of the list with its pod template, as "Kind/name". */
    static List<Workload> workloads(List<HasMetadata> objects) {
        List<Workload> result = new ArrayList<>();
        for (HasMetadata o : objects) {
            of(o).ifPresent(t -> result.add(new Workload(o.getKind() + "/" + o.getMetadata().getName(), o, t)));
        }
        return result;
    }

    /** Containers and init containers. */
    static List<Container> allContainers(PodSpec spec) {
        List<Container> all = new ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        return all;
    }

    record Workload(String id, HasMetadata owner, PodTemplateSpec template) {
        PodSpec spec() {
            return template.getSpec();
        }

        /** Names a container may mount: the pod's volumes and a StatefulSet's claim templates. */
        Set<String> volumeNames() {
            Set<String> names = new HashSet<>();
            if (spec().getVolumes() != null) {
                spec().getVolumes().forEach(v -> names.add(v.getName()));
            }
            if (owner instanceof StatefulSet s && s.getSpec().getVolumeClaimTemplates() != null) {
                s.getSpec().getVolumeClaimTemplates().forEach(c -> names.add(c.getMetadata().getName()));
            }
            return names;
        }
    }
}
