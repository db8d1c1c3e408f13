package dev.sett.tools;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Heap bytes allocated by the current thread, from HotSpot's
 * {@code com.sun.management.ThreadMXBean}. On a JVM without it, {@link #supported()} is false and
 * {@link #allocated()} returns 0.
 */
final class AllocationMeter {
  private final com.sun.management.ThreadMXBean bean;

  private AllocationMeter(com.sun.management.ThreadMXBean bean) {
    this.bean = bean;
  }

  static AllocationMeter create() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads instanceof com.sun.management.ThreadMXBean hotspot
        && hotspot.isThreadAllocatedMemorySupported()) {
      try {
        if (!hotspot.isThreadAllocatedMemoryEnabled()) {
          hotspot.setThreadAllocatedMemoryEnabled(true);
        }
        return new AllocationMeter(hotspot);
      } catch (UnsupportedOperationException | SecurityException e) {
        return new AllocationMeter(null);
      }
    }
    return new AllocationMeter(null);
  }

  boolean supported() {
    return bean != null;
  }

  /** Bytes the current thread has allocated so far (a running total; subtract two readings). */
  long allocated() {
    return bean == null ? 0 : bean.getCurrentThreadAllocatedBytes();
  }
}
