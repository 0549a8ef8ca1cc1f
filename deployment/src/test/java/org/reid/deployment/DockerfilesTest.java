package org.reid.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the Dockerfiles without a Docker engine: every COPY from the build context names a path
 * the repository has (and .dockerignore keeps), the entrypoint runs the jar the module's pom
 * builds, base images are pinned, the image runs as a non-root user, DJL stays offline.
 */
class DockerfilesTest {

    static Dockerfile dockerfile(String module) {
        return Dockerfile.read(RepositoryRoot.resolve(module + "/Dockerfile"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "training-job"})
    void everyCopiedPathExistsAndIsInTheBuildContext(String module) {
        Dockerfile file = dockerfile(module);
        DockerIgnore ignore = DockerIgnore.read(RepositoryRoot.resolve(".dockerignore"));
        List<Dockerfile.Copy> fromContext = file.copies().stream().filter(c -> c.from() == null).toList();
        assertThat(fromContext).isNotEmpty();
        for (Dockerfile.Copy copy : fromContext) {
            for (String source : copy.sources()) {
                String where = file.file() + ":" + copy.line() + " COPY " + source;
                assertThat(source).as(where + " (the build context is the repository root)").doesNotStartWith("/").doesNotContain("..");
                assertThat(RepositoryRoot.resolve(source)).as(where).exists();
                assertThat(ignore.excludes(source)).as(where + " is excluded by .dockerignore").isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "training-job"})
    void everyReactorModulePomIsCopiedSoMavenCanReadTheReactor(String module) {
        List<String> copied = dockerfile(module).copies().stream().filter(c -> c.from() == null)
                .flatMap(c -> c.sources().stream()).toList();
        for (String reactorModule : MavenModule.read(RepositoryRoot.resolve("pom.xml")).modules()) {
            assertThat(copied).as("%s/Dockerfile copies %s/pom.xml", module, reactorModule)
                    .contains(reactorModule + "/pom.xml");
        }
        assertThat(copied).contains("pom.xml", "mvnw", ".mvn/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "training-job"})
    void theEntrypointRunsTheJarThePomBuilds(String module) {
        Dockerfile file = dockerfile(module);
        String jar = MavenModule.read(RepositoryRoot.resolve(module + "/pom.xml")).runnableJarName();
        List<String> entrypoint = file.entrypoint();
        assertThat(entrypoint.get(0)).isEqualTo("java");
        int jarFlag = entrypoint.indexOf("-jar");
        assertThat(jarFlag).as("ENTRYPOINT has -jar").isPositive();
        String entrypointJar = entrypoint.get(jarFlag + 1);
        assertThat(Path.of(entrypointJar).getFileName().toString()).isEqualTo(jar);
        // The jar gets there by a COPY from the build stage, out of the module's target/.
        assertThat(file.copies()).as("COPY --from=<build stage> .../%s/target/%s %s", module, jar, entrypointJar)
                .anySatisfy(c -> {
                    assertThat(file.stageNames()).contains(c.from());
                    assertThat(c.sources()).singleElement().satisfies(s -> assertThat(s).endsWith(module + "/target/" + jar));
                    assertThat(c.destination()).isEqualTo(entrypointJar);
                });
        // The build stage builds exactly this module with the wrapper.
        assertThat(file.all("RUN")).anySatisfy(r -> assertThat(r.arguments()).contains("./mvnw").contains("-pl " + module));
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "training-job"})
    void baseImagesArePinnedAndTheImageRunsAsNonRootAndOffline(String module) {
        Dockerfile file = dockerfile(module);
        for (String image : file.baseImages()) {
            if (file.stageNames().contains(image)) {
                continue;
            }
            String tag = BuiltImages.tag(image);
            assertThat(tag).as("%s FROM %s has a tag", module, image).isNotNull().isNotEqualTo("latest");
            assertThat(tag).as("%s FROM %s is an exact version", module, image).matches(".*\\d+\\.\\d+.*");
        }
        List<Dockerfile.Instruction> users = file.finalStage().stream().filter(i -> i.keyword().equals("USER")).toList();
        assertThat(users).as("%s: USER in the final stage", module).isNotEmpty();
        String user = users.get(users.size() - 1).arguments().split(":")[0];
        assertThat(user).as("numeric, so Kubernetes can verify runAsNonRoot").matches("\\d+");
        assertThat(Integer.parseInt(user)).isNotZero();
        String all = String.join("\n", file.finalStage().stream().map(i -> i.keyword() + " " + i.arguments()).toList());
        assertThat(all).contains("DJL_OFFLINE=true");
        assertThat(file.entrypoint()).contains("-Dai.djl.offline=true");
        assertThat(file.all("FROM").get(0).arguments()).contains("eclipse-temurin:17");
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "training-job"})
    void bothImagesAndRunServiceShSetTheSameMallocTunables(String module) throws Exception {
        String env = String.join(" ", dockerfile(module).finalStage().stream().filter(i -> i.keyword().equals("ENV"))
                .map(Dockerfile.Instruction::arguments).toList());
        java.util.regex.Matcher image = java.util.regex.Pattern.compile("GLIBC_TUNABLES=(\\S+)").matcher(env);
        assertThat(image.find()).as("%s/Dockerfile sets GLIBC_TUNABLES", module).isTrue();
        // freed libtorch batch tensors stay in the heap for the next pass (docs/benchmarks-service.md)
        assertThat(image.group(1)).contains("glibc.malloc.mmap_threshold=").contains("glibc.malloc.trim_threshold=");
        String script = java.nio.file.Files.readString(RepositoryRoot.resolve("scripts/run-service.sh"));
        assertThat(script).contains("export GLIBC_TUNABLES=\"${GLIBC_TUNABLES:-" + image.group(1) + "}\"");
    }

    @Test
    void theTrainingImageCarriesTheCudaLibtorchDjlExpects() {
        Dockerfile file = dockerfile("training-job");
        String pytorch = MavenModule.read(RepositoryRoot.resolve("pom.xml")).property("pytorch.version");
        assertThat(file.baseImages()).as("a PyTorch %s CUDA 12.8 image", pytorch)
                .anyMatch(i -> i.startsWith("pytorch/pytorch:" + pytorch + "-cuda12.8-"));
        List<String> env = file.finalStage().stream().filter(i -> i.keyword().equals("ENV")).map(Dockerfile.Instruction::arguments).toList();
        String joined = String.join(" ", env);
        assertThat(joined).contains("PYTORCH_FLAVOR=cu128").contains("PYTORCH_VERSION=" + pytorch)
                .containsPattern("PYTORCH_LIBRARY_PATH=\\S+/torch/lib");
    }

    @Test
    void theDockerignoreKeepsLocalStateOutOfTheContext() {
        DockerIgnore ignore = DockerIgnore.read(RepositoryRoot.resolve(".dockerignore"));
        assertThat(ignore.excludes("service/target/service-exec.jar")).isTrue();
        assertThat(ignore.excludes("data/postgres")).isTrue();
        assertThat(ignore.excludes(".git")).isTrue();
    }
}
