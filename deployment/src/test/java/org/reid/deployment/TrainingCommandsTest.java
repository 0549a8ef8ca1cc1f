package org.reid.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The retraining commands in the CronJob and in docker-compose.yml use subcommands and options the
 * training job's picocli classes declare, and end by publishing into the PostgreSQL registry.
 */
class TrainingCommandsTest {
    private final Map<String, Set<String>> declared =
            TrainingCli.declaredOptions(RepositoryRoot.resolve("training-job/src/main/java/org/reid/training/cli"));

    @Test
    void theCliSourcesAreReadable() {
        assertThat(declared).containsKeys("synth", "train", "evaluate", "publish");
        assertThat(declared.get("publish")).contains("--model", "--registry", "--registry-dir");
        assertThat(declared.get("train")).contains("--data", "--from-registry", "--out", "--loss", "--device",
                "--init-from", "--init-weights");
    }

    @Test
    void theCronJobTrainsOnTheGalleryEvaluatesAndPublishesWithRealOptions() {
        CronJob cronJob = KubernetesObjects.single(KubernetesManifestsTest.render("prod"), CronJob.class,
                KubernetesManifestsTest.RETRAIN);
        var container = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        String script = String.join("\n", container.getArgs());
        List<TrainingCli.Invocation> calls = TrainingCli.invocations(script);
        assertThat(calls).extracting(TrainingCli.Invocation::command).containsSubsequence("train", "publish");
        assertThat(calls).extracting(TrainingCli.Invocation::command).contains("evaluate");
        assertThat(calls).anySatisfy(c -> assertThat(c.options()).contains("--from-registry"));
        assertThat(calls.get(calls.size() - 1).options()).contains("--registry");
        assertKnownOptions("CronJob", calls);
        // Retraining on the gallery fine-tunes the active model unless the ConfigMap says otherwise.
        assertThat(calls).anySatisfy(c -> assertThat(c.options()).contains("--from-registry", "--init-from"));
        ConfigMap config = KubernetesObjects.single(KubernetesManifestsTest.render("prod"), ConfigMap.class,
                "reid-training-config");
        assertThat(config.getData()).containsEntry("REID_TRAIN_INIT_FROM", "active");
        assertThat(script).contains("--init-from \"$REID_TRAIN_INIT_FROM\"");
    }

    @Test
    void theComposeRetrainingUsesRealOptions() {
        String command = BuiltImages.compose().path("services").path("retrain").path("command").get(0).asText();
        List<TrainingCli.Invocation> calls = TrainingCli.invocations(command);
        assertThat(calls).extracting(TrainingCli.Invocation::command).containsExactly("train", "publish");
        assertKnownOptions("docker-compose.yml retrain", calls);
        assertThat(command).contains("--init-from active ");
    }

    private void assertKnownOptions(String where, List<TrainingCli.Invocation> calls) {
        for (TrainingCli.Invocation call : calls) {
            assertThat(declared).as(where + ": subcommand " + call.command()).containsKey(call.command());
            for (String option : call.options()) {
                boolean known = declared.get(call.command()).contains(option);
                assertThat(known).as(where + ": " + call.command() + " " + option + " is not an option of the job").isTrue();
            }
        }
    }
}
