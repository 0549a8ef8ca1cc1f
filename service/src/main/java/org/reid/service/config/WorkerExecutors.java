package org.reid.service.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The service's background threads, as Spring beans: they stop with the context (running work is
 * interrupted; a batch or switch cut short resumes at the next start from PostgreSQL) and
 * Micrometer reports them as {@code executor.*{name=...}}. One thread each: a batch's chunks and
 * a switch's re-embedding must run in order.
 */
@Configuration(proxyBeanMethods = false)
public class WorkerExecutors {
    /** Runs ingestion batches, one at a time. */
    public static final String INGESTION = "ingestionExecutor";
    /** Writes and indexes a batch's chunks while the ingestion thread embeds the next one. */
    public static final String INGESTION_WRITER = "ingestionWriterExecutor";
    /** Runs model switches. */
    public static final String MODEL_SWITCH = "modelSwitchExecutor";
    /**
     * Brings the serving model's index up to date with PostgreSQL after a start, while it serves;
     * drops a retired version's SolrCloud collection.
     */
    public static final String INDEX_PREPARATION = "indexPreparationExecutor";

    @Bean(INGESTION)
    ThreadPoolTaskExecutor ingestionExecutor() {
        return singleThread("ingestion-");
    }

    @Bean(INGESTION_WRITER)
    ThreadPoolTaskExecutor ingestionWriterExecutor() {
        return singleThread("ingestion-writer-");
    }

    @Bean(MODEL_SWITCH)
    ThreadPoolTaskExecutor modelSwitchExecutor() {
        return singleThread("model-switch-");
    }

    @Bean(INDEX_PREPARATION)
    ThreadPoolTaskExecutor indexPreparationExecutor() {
        return singleThread("index-preparation-");
    }

    private static ThreadPoolTaskExecutor singleThread(String prefix) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setThreadNamePrefix(prefix);
        executor.setDaemon(true);
        return executor;
    }
}
