package dev.sett.core;

import dev.sett.api.BackgroundTaskStats;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle record of one background task of a store (after Badger's {@code z.Closer}): whether
 * it runs, how often it failed, and its last failure, so that a task that fails is never silent:
 * {@link dev.sett.api.Store#stats()} shows it, and where the failure affects writes, the writer
 * refuses them with the failure as the cause. Each failure is also a {@code dev.sett.BackgroundFailure}
 * JFR event while a recording enables it.
 *
 * <p>Thread-safe: the task's thread records, any thread reads.
 */
final class BackgroundTask {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundTask.class);

  private final String name;
  private final String store;
  private final String directory;
  private volatile boolean running;
  private final AtomicLong failures = new AtomicLong();
  private volatile Throwable lastFailure;
  private volatile long lastFailureMillis;

  BackgroundTask(String name, Path dir) {
    this.name = name;
    this.store = String.valueOf(dir.getFileName());
    this.directory = dir.toString();
  }

  void running(boolean running) {
    this.running = running;
  }

  /** Records a failure of the task; {@code what} says what happens next (retry, stop). */
  void failed(Throwable failure, String what) {
    failures.incrementAndGet();
    lastFailure = failure;
    lastFailureMillis = System.currentTimeMillis();
    LOG.warn("Background task {} of {} failed; {}", name, store, what, failure);
    BackgroundFailureEvent event = Jfr.mayRecord() ? new BackgroundFailureEvent() : null;
    if (event != null && event.isEnabled()) {
      event.store = directory;
      event.task = name;
      event.failure = failure.getClass().getName() + ": " + failure.getMessage();
      event.next = what;
      event.commit();
    }
  }

  /** The last failure, or null. */
  Throwable lastFailure() {
    return lastFailure;
  }

  BackgroundTaskStats stats() {
    Throwable f = lastFailure;
    return new BackgroundTaskStats(name, running, failures.get(),
        f == null ? null : f.getClass().getSimpleName() + ": " + f.getMessage(), lastFailureMillis);
  }
}
