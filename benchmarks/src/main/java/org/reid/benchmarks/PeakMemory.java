package org.reid.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** Peak heap use as the JVM's memory pools saw it (sum of the per-pool peaks: an upper bound), and CPU time. */
final class PeakMemory {
    private PeakMemory() {}

    static void reset() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / (1024.0 * 1024.0));
    }

    /** CPU time of the whole process so far (all threads), in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static String maxHeap() {
        return mib(Runtime.getRuntime().maxMemory());
    }
}
