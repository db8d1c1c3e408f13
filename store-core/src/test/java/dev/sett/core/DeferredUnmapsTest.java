package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DeferredUnmapsTest {

  /**
   * The store's close drains; a deletion the retry thread (or any thread that let go of a segment)
   * is running at that moment must be finished when close returns, or a reopen lists a retired
   * segment's file that is deleted under it.
   */
  @Test
  void drainWaitsForAnActionAnotherThreadIsRunning() throws Exception {
    DeferredUnmaps unmaps = new DeferredUnmaps(new ReadEpochs(), Long.MAX_VALUE);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Thread releaser = new Thread(() -> unmaps.defer(0, () -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.set(true);
    }), "releaser");
    releaser.start();
    assertTrue(started.await(10, TimeUnit.SECONDS));
    AtomicBoolean finishedWhenDrainReturned = new AtomicBoolean();
    Thread closer = new Thread(() -> {
      unmaps.drain();
      finishedWhenDrainReturned.set(finished.get());
    }, "closer");
    closer.start();
    closer.join(300);
    assertTrue(closer.isAlive(), "drain returned while another thread was still running a deferred action");
    release.countDown();
    closer.join(10_000);
    releaser.join(10_000);
    assertFalse(closer.isAlive());
    assertTrue(finishedWhenDrainReturned.get(), "the action had finished when drain returned");
  }

  @Test
  void drainRunsWhatIsPendingAndReturnsAtOnceWhenNothingRuns() {
    ReadEpochs epochs = new ReadEpochs();
    DeferredUnmaps unmaps = new DeferredUnmaps(epochs, Long.MAX_VALUE);
    AtomicBoolean ran = new AtomicBoolean();
    ReadEpochs.Slot reading = epochs.enter();
    unmaps.defer(0, () -> ran.set(true));
    assertFalse(ran.get(), "a reader inside keeps the action pending");
    epochs.exit(reading);
    unmaps.drain();
    assertTrue(ran.get());
    unmaps.drain();
  }
}
