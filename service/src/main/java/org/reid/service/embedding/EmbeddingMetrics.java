package org.reid.service.embedding;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The embedding meters, tagged by path ({@code search} or {@code ingest}). */
public final class EmbeddingMetrics {
    private EmbeddingMetrics() {}

    public static Timer embedTimer(MeterRegistry meters, String path) {
        return Timer.builder("reid.embed.latency")
                .description("one forward pass of a batch of crops")
                .tag("path", path)
                .publishPercentileHistogram()
                .register(meters);
    }

    public static DistributionSummary batchSize(MeterRegistry meters, String path) {
        return DistributionSummary.builder("reid.embed.batch.size")
                .description("crops per forward pass")
                .tag("path", path)
                .publishPercentileHistogram()
                .register(meters);
    }
}
