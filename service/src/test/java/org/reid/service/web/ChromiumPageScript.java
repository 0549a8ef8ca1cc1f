package org.reid.service.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/e2e/page.e2e.mjs} (playwright-core driving Debian's headless Chromium)
 * against a running service and collects its exit code and output. The browser and node_modules
 * are installed by {@code scripts/install-browser.sh}; when they are missing this says so instead
 * of running, so that a test built on it fails with the fix in its message rather than skipping.
 */
final class ChromiumPageScript {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String INSTALL_HINT = "run scripts/install-browser.sh (installs Debian's chromium and "
            + "playwright-core into service/src/test/e2e/node_modules)";

    /** What the script needs: where the page is, a key with the SEARCH role, a held-out crop and its label. */
    record Inputs(String baseUrl, String apiKey, Path queryImage, String expectedLabel, Path screenshotDir) {}

    record Result(int exitCode, String output) {}

    private final Path e2eDir;
    private final Duration timeout;

    ChromiumPageScript(Path e2eDir, Duration timeout) {
        this.e2eDir = e2eDir;
        this.timeout = timeout;
    }

    /** The e2e folder seen from the service module (Surefire's working directory) or the repository root. */
    static ChromiumPageScript locate(Duration timeout) {
        for (Path candidate : List.of(Path.of("src/test/e2e"), Path.of("service/src/test/e2e"))) {
            if (Files.isRegularFile(candidate.resolve("page.e2e.mjs"))) {
                return new ChromiumPageScript(candidate.toAbsolutePath(), timeout);
            }
        }
        throw new IllegalStateException("page.e2e.mjs not found under src/test/e2e or service/src/test/e2e (working directory "
                + Path.of("").toAbsolutePath() + ")");
    }

    /** Everything that stops the script from running, each with how to fix it; empty when it can run. */
    List<String> missingPrerequisites() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " is missing: " + INSTALL_HINT);
        }
        if (!Files.isRegularFile(e2eDir.resolve("node_modules/playwright-core/package.json"))) {
            missing.add(e2eDir.resolve("node_modules/playwright-core") + " is missing: " + INSTALL_HINT);
        }
        if (!onPath("node")) {
            missing.add("node is not on the PATH: install Node.js 20+, then " + INSTALL_HINT);
        }
        return missing;
    }

    Result run(Inputs inputs) throws IOException, InterruptedException {
        Files.createDirectories(inputs.screenshotDir());
        ProcessBuilder builder = new ProcessBuilder("node", "page.e2e.mjs")
                .directory(e2eDir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("BASE_URL", inputs.baseUrl());
        env.put("API_KEY", inputs.apiKey());
        env.put("QUERY_IMAGE", inputs.queryImage().toAbsolutePath().toString());
        env.put("EXPECTED_LABEL", inputs.expectedLabel());
        env.put("SCREENSHOT_DIR", inputs.screenshotDir().toAbsolutePath().toString());
        env.put("CHROMIUM", CHROMIUM.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        OutputCollector output = new OutputCollector(process.getInputStream());
        output.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            output.join(TimeUnit.SECONDS.toMillis(5));
            return new Result(-1, output.text() + "\n[killed: page.e2e.mjs ran longer than " + timeout + "]");
        }
        output.join(TimeUnit.SECONDS.toMillis(10));
        return new Result(process.exitValue(), output.text());
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Drains the child's output on its own thread so a full pipe never blocks it. */
    private static final class OutputCollector extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        OutputCollector(InputStream in) {
            super("page-e2e-output");
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (in) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (bytes) {
                        bytes.write(buffer, 0, n);
                    }
                }
            } catch (IOException closedWhenKilled) {
                // The process was destroyed; what was read so far is kept.
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
