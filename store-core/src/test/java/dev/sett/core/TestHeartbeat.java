package dev.sett.core;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Says, every 30 s, which test is still running, so that a long suite (the bank test runs for
 * minutes) never looks like a hang in a build log. Loaded for every test by JUnit's extension
 * autodetection (src/test/resources/junit-platform.properties); prints to standard error, which
 * the reliability profile shows on the console.
 */
public final class TestHeartbeat implements BeforeEachCallback, AfterEachCallback {
  private static final long PERIOD_SECONDS = 30;
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-heartbeat");
    t.setDaemon(true);
    return t;
  });
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestHeartbeat.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    String name = context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName();
    long start = System.nanoTime();
    ScheduledFuture<?> beat = TIMER.scheduleAtFixedRate(() -> System.err.printf("[test] %s still running after %d s%n",
        name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    context.getStore(NS).put("beat", beat);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ScheduledFuture<?> beat = context.getStore(NS).remove("beat", ScheduledFuture.class);
    if (beat != null) {
      beat.cancel(false);
    }
  }
}
