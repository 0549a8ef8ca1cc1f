package org.reid.service.config;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded postmaster of a service that was killed (kill -9, the OOM killer) outlives it: it
 * runs on, reparented to init, holding {@code postmaster.pid} of the data directory, and no JVM
 * owns it. Started beside it, the library's {@code pg_ctl start} fails at once but the library only
 * notices when it gives up waiting (60 s) on a random port, or silently connects to the orphan on
 * a fixed one. So before starting, the service stops such an orphan cleanly.
 *
 * <p>An orphan is the process named by {@code postmaster.pid} when it is alive, is a
 * {@code postgres} executable, runs in this data directory, and no live service holds the
 * directory's lock ({@code epg-lock}, which the library keeps while it runs PostgreSQL). It is
 * stopped with {@code pg_ctl stop -m fast} from the binaries it runs from; failing that with
 * SIGTERM, and after a bounded wait with SIGKILL (PostgreSQL then recovers from its WAL at the
 * start that follows). A stale file (its process gone) is left to PostgreSQL, which replaces it.
 */
final class OrphanedPostmaster {
    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);
    /** The library's lock file in the data directory, held by the process that runs PostgreSQL. */
    private static final String LIBRARY_LOCK = "epg-lock";
    private static final Duration CLEAN_STOP = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private OrphanedPostmaster() {}

    /** Stops the orphaned postmaster of {@code pgData} if there is one; returns whether it did. */
    static boolean stopIfAny(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return false;
        }
        long pid;
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
            pid = Long.parseLong(lines.get(0).trim());
        } catch (IOException | RuntimeException e) {
            log.warn("{} could not be read ({}); left to PostgreSQL", pidFile, e.toString());
            return false;
        }
        Optional<ProcessHandle> found = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (found.isEmpty()) {
            log.info("{} names process {}, which is gone (the last stop was not clean); PostgreSQL replaces the file",
                    pidFile, pid);
            return false;
        }
        ProcessHandle postmaster = found.get();
        String why = notOurPostmaster(postmaster, pgData, lines);
        if (why != null) {
            log.warn("{} names process {}, which is not an orphaned postmaster of this data directory ({}); left alone",
                    pidFile, pid, why);
            return false;
        }
        if (heldByALiveService(pgData)) {
            log.warn("PostgreSQL {} on {} belongs to a service that is still running; left alone", pid, pgData);
            return false;
        }
        log.warn("PostgreSQL {} is still running on {}, left behind by a service that did not stop (killed?); stopping it",
                pid, pgData);
        long t0 = System.nanoTime();
        String how = stop(postmaster, pgData);
        log.info("stopped the orphaned PostgreSQL {} ({}) in {} ms", pid, how, (System.nanoTime() - t0) / 1_000_000);
        return true;
    }

    /** Why this process is not the postmaster of {@code pgData}; null when it is. */
    private static String notOurPostmaster(ProcessHandle process, Path pgData, List<String> pidLines) {
        String command = process.info().command().orElse(null);
        if (command == null) {
            return "its executable cannot be read";
        }
        String name = Path.of(command).getFileName().toString();
        if (!name.equals("postgres") && !name.equals("postgres.exe")) {
            return "it runs " + command;
        }
        if (pidLines.size() < 2 || !sameFile(Path.of(pidLines.get(1).trim()), pgData)) {
            return "the file names another data directory";
        }
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd"); // the postmaster works in its data directory
        if (Files.exists(cwd) && !sameFile(cwd, pgData)) {
            return "it works in another directory";
        }
        return null;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Whether some running process (another service, or this JVM) holds the library's lock of the directory. */
    private static boolean heldByALiveService(Path pgData) {
        Path lockFile = pgData.resolve(LIBRARY_LOCK);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileOutputStream out = new FileOutputStream(lockFile.toFile(), true)) {
            FileLock lock = out.getChannel().tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            log.warn("could not test the lock {} ({}); taking the postmaster for an orphan", lockFile, e.toString());
            return false;
        }
    }

    /** Stops the postmaster, as cleanly as it will go; returns how. */
    private static String stop(ProcessHandle postmaster, Path pgData) {
        Path pgCtl = postmaster.info().command().map(c -> Path.of(c).resolveSibling("pg_ctl")).orElse(null);
        if (pgCtl != null && Files.isExecutable(pgCtl) && pgCtlStop(pgCtl, pgData) && exited(postmaster, KILL_WAIT)) {
            return "pg_ctl stop -m fast";
        }
        postmaster.destroy(); // SIGTERM: a smart shutdown, the dead service's sessions are gone
        if (exited(postmaster, CLEAN_STOP)) {
            return "SIGTERM";
        }
        log.warn("PostgreSQL {} did not stop within {} s of SIGTERM; killing it (it recovers from its WAL at the next start)",
                postmaster.pid(), CLEAN_STOP.toSeconds());
        postmaster.destroyForcibly();
        if (exited(postmaster, KILL_WAIT)) {
            return "SIGKILL";
        }
        throw new IllegalStateException("PostgreSQL " + postmaster.pid() + " left running on " + pgData
                + " by an earlier start could not be stopped; stop it and start again");
    }

    private static boolean pgCtlStop(Path pgCtl, Path pgData) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as the library runs it: PostgreSQL refuses to run as root
        }
        command.addAll(List.of(pgCtl.toString(), "-D", pgData.toString(), "stop", "-m", "fast", "-w",
                "-t", Long.toString(CLEAN_STOP.toSeconds())));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            boolean done = p.waitFor(CLEAN_STOP.toSeconds() + 5, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!done) {
                p.destroyForcibly();
                log.warn("pg_ctl stop did not succeed: {}", output);
            }
            return done;
        } catch (IOException e) {
            log.warn("pg_ctl stop could not run: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean exited(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
