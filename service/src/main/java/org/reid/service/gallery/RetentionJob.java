package org.reid.service.gallery;

import java.time.Duration;
import java.time.Instant;
import org.reid.service.config.ReidProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Erases entries captured longer ago than {@code reid.retention.max-age} (off when unset). */
@Component
public class RetentionJob implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final ReidProperties properties;
    private final GalleryEraser eraser;

    public RetentionJob(ReidProperties properties, GalleryEraser eraser) {
        this.properties = properties;
        this.eraser = eraser;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        Duration every = properties.getRetention().getCheckEvery();
        tasks.addFixedDelayTask(new FixedDelayTask(this::run, every, every));
    }

    public void run() {
        Duration maxAge = properties.getRetention().getMaxAge();
        if (maxAge == null) {
            return;
        }
        int erased = runOnce(Instant.now().minus(maxAge));
        if (erased > 0) {
            log.info("retention: erased {} entries captured more than {} ago", erased, maxAge);
        }
    }

    /** Erases entries captured before {@code cutoff}; returns how many. */
    public int runOnce(Instant cutoff) {
        return eraser.eraseCapturedBefore(cutoff);
    }
}
