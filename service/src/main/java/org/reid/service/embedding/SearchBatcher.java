package org.reid.service.embedding;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Micro-batching of concurrent searches: query crops from many requests are gathered into one
 * forward pass (up to {@code maxBatch} crops, the first waiting at most {@code maxWait} for
 * company), which is cheaper per crop than one pass per request. A lone request pays at most
 * {@code maxWait}.
 */
public final class SearchBatcher implements AutoCloseable {
    private record Job(BufferedImage image, CompletableFuture<float[]> result) {}

    private final PredictorPool pool;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private final Timer embedTimer;
    private final DistributionSummary batchSize;
    private volatile boolean closed;

    public SearchBatcher(PredictorPool pool, int maxBatch, Duration maxWait, MeterRegistry meters) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("reid.search.max-batch must be >= 1, got " + maxBatch);
        }
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.embedTimer = EmbeddingMetrics.embedTimer(meters, "search");
        this.batchSize = EmbeddingMetrics.batchSize(meters, "search");
        this.dispatcher = new Thread(this::run, "search-batcher");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /** The embeddings of one request's crops (computed together with other requests' crops). */
    public List<float[]> embed(List<BufferedImage> images) {
        if (closed) {
            throw new IllegalStateException("the model is being unloaded");
        }
        List<CompletableFuture<float[]>> futures = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            CompletableFuture<float[]> f = new CompletableFuture<>();
            queue.add(new Job(image, f));
            futures.add(f);
        }
        List<float[]> out = new ArrayList<>(images.size());
        for (CompletableFuture<float[]> f : futures) {
            out.add(f.join());
        }
        return out;
    }

    private void run() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Job first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                forward(batch);
            } catch (InterruptedException e) {
                break;
            } finally {
                batch.clear();
            }
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("the model was unloaded"));
        }
    }

    private void forward(List<Job> batch) {
        try {
            List<BufferedImage> images = new ArrayList<>(batch.size());
            batch.forEach(j -> images.add(j.image()));
            long t0 = System.nanoTime();
            float[][] vectors = pool.embed(images);
            embedTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            batchSize.record(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(vectors[i]);
            }
        } catch (RuntimeException e) {
            batch.forEach(j -> j.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        try {
            dispatcher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
