package dev.sett.core;

import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The program the process tests run in a child JVM:
 * <ul>
 *   <li>{@code open DIR...}: opens the store (each DIR in turn; read-only when written
 *       {@code ro:DIR}) and prints the outcome of each ({@code opened}, or the exception);</li>
 *   <li>{@code hold DIR}: opens the store, prints {@code open}, and waits to be killed;
 *       {@code hold-ro DIR} the same read-only;</li>
 *   <li>{@code write DIR SYNCMODE}: writes key i = value "value-i" (every fifth write a batch of
 *       two keys), printing {@code ack i} after each write returns, until killed;</li>
 *   <li>{@code write-exposed DIR ALIAS}: writes synced keys 0, 1, ... (printing {@code ack i}) and
 *       after every tenth write does, in its own process, what must never cost it its lock: reads
 *       the {@code LOCK} file, tries to open the store again through {@code DIR} and through
 *       {@code ALIAS}, and runs {@code Sett.verify} (which must pass); until killed;</li>
 *   <li>{@code live-read DIR MILLIS}: a read-only handle beside a live writer that writes
 *       {@link LiveReaderCheck}'s history; refreshes and checks for MILLIS ms, then prints
 *       {@code checked N last L}, or {@code error: ...} at the first wrong value;</li>
 *   <li>{@code intrude DIR MILLIS}: for MILLIS ms tries to open the store for writing, again and
 *       again; each time it gets in (it must not) it writes 50 synced keys of its own, prints
 *       {@code intruded}, and closes; at the end prints {@code refused R intruded I}.</li>
 * </ul>
 */
public final class ChildProcessMain {
  private ChildProcessMain() {
  }

  static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).build();

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1].startsWith("ro:") ? args[1].substring(3) : args[1]);
    switch (args[0]) {
      case "open":
        for (int i = 1; i < args.length; i++) {
          boolean readOnly = args[i].startsWith("ro:");
          StoreOptions options = OPTIONS.toBuilder().readOnly(readOnly).build();
          try (Store s = Sett.open(Path.of(readOnly ? args[i].substring(3) : args[i]), options)) {
            System.out.println("opened " + s.stats().liveKeys());
          } catch (StoreException e) {
            System.out.println("failed " + e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }
        break;
      case "hold":
      case "hold-ro":
        Store held = Sett.open(dir, OPTIONS.toBuilder().readOnly(args[0].equals("hold-ro")).build());
        System.out.println("open " + held.stats().liveKeys());
        System.out.flush();
        Thread.sleep(600_000);
        break;
      case "write-exposed":
        writeExposed(dir, Path.of(args[2]));
        break;
      case "intrude":
        intrude(dir, Long.parseLong(args[2]));
        break;
      case "write":
        write(dir, SyncMode.valueOf(args[2]));
        break;
      case "workload":
        workload(dir);
        break;
      case "live-read":
        LiveReaderCheck.run(dir, Long.parseLong(args[2]));
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }

  private static void write(Path dir, SyncMode mode) {
    try (Store s = Sett.open(dir, OPTIONS.toBuilder().syncMode(mode).build())) {
      long start = s.stats().lastSequence() == 0 ? 0 : Long.parseLong(lastKey(s)) + 1;
      byte[] pad = new byte[200];
      for (long i = start;; i++) {
        if (i % 5 == 4) {
          s.write(new WriteBatch().put(key(i), value(i, pad)).put(key(-i), value(-i, pad)));
        } else {
          s.put(key(i), value(i, pad));
        }
        System.out.println("ack " + i);
        System.out.flush();
      }
    }
  }

  /** Segments large enough that the writer and an intruder share one for the whole run. */
  static final StoreOptions EXPOSED = OPTIONS.toBuilder().segmentSize(4 << 20).build();

  private static void writeExposed(Path dir, Path alias) throws Exception {
    try {
      writeExposedUntilKilled(dir, alias);
    } catch (Exception | Error e) {
      System.out.println("error: the writer failed: " + e);
      System.out.flush();
      throw e;
    }
  }

  private static void writeExposedUntilKilled(Path dir, Path alias) throws Exception {
    byte[] pad = new byte[200];
    try (Store s = Sett.open(dir, EXPOSED.toBuilder().syncMode(SyncMode.ALWAYS).build())) {
      for (long i = 0;; i++) {
        s.put(key(i), value(i, pad));
        System.out.println("ack " + i);
        System.out.flush();
        if (i % 10 == 0) {
          java.nio.file.Files.readAllBytes(dir.resolve("LOCK"));
          for (Path p : new Path[] {dir, alias}) {
            try (Store again = Sett.open(p, OPTIONS)) {
              System.out.println("error: opened a second time through " + p + " ("
                  + again.stats().liveKeys() + " keys)");
            } catch (dev.sett.api.StoreLockedException expected) {
              // what must happen; the refusal must not cost the first handle its lock
            }
          }
          if (!Sett.verify(dir).ok()) { // beside the writer, and it must not cost it its lock
            System.out.println("error: verify found problems beside the writer");
          }
        }
      }
    }
  }

  private static void intrude(Path dir, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    int refused = 0;
    int intruded = 0;
    byte[] pad = new byte[200];
    while (System.nanoTime() < deadline) {
      StoreOptions options = EXPOSED.toBuilder().syncMode(SyncMode.ALWAYS).autoCompaction(false).build();
      try (Store s = Sett.open(dir, options)) {
        intruded++;
        for (int j = 0; j < 50; j++) {
          s.put(("intruder-" + intruded + "-" + j).getBytes(StandardCharsets.UTF_8), value(j, pad));
        }
        System.out.println("intruded");
        System.out.flush();
      } catch (dev.sett.api.StoreLockedException e) {
        refused++;
        sleepQuietly(2);
      } catch (StoreException e) {
        System.out.println("intruder failed " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    System.out.println("refused " + refused + " intruded " + intruded);
    System.out.flush();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@link #operation}s 0.. and then two forced compactions, printing progress. */
  private static void workload(Path dir) {
    try (Store s = Sett.open(dir, OPTIONS.toBuilder().autoCompaction(false).build())) {
      for (int i = 0; i < WORKLOAD_OPERATIONS; i++) {
        applyOperation(s, i);
        System.out.println("ack " + i);
        System.out.flush();
      }
      System.out.println("compacting");
      System.out.flush();
      s.compact(true);
      s.compact(true);
      System.out.println("done");
      System.out.flush();
    }
  }

  static final int WORKLOAD_OPERATIONS = 1000;

  /** Operation i of the workload: 600 puts, then 300 overwrites, then 100 deletes. */
  static void applyOperation(Store s, int i) {
    if (i < 600) {
      s.put(key(i), workloadValue(i, 0));
    } else if (i < 900) {
      s.put(key(i - 600), workloadValue(i - 600, 1));
    } else {
      s.delete(key(i - 900 + 300));
    }
  }

  /** The model's view of operation i. */
  static void applyOperation(java.util.Map<String, String> model, int i) {
    if (i < 600) {
      model.put(Long.toString(i), "v0-" + i);
    } else if (i < 900) {
      model.put(Long.toString(i - 600), "v1-" + (i - 600));
    } else {
      model.remove(Long.toString(i - 900 + 300));
    }
  }

  static byte[] workloadValue(long k, int version) {
    byte[] head = ("v" + version + "-" + k).getBytes(StandardCharsets.UTF_8);
    byte[] v = new byte[200];
    System.arraycopy(head, 0, v, 0, head.length);
    return v;
  }

  private static String lastKey(Store s) {
    long max = -1;
    try (var snap = s.snapshot(); var c = snap.scan(dev.sett.api.KeyRange.all())) {
      while (c.next()) {
        max = Math.max(max, Long.parseLong(new String(c.key().toByteArray(), StandardCharsets.UTF_8)));
      }
    }
    return Long.toString(max);
  }

  static byte[] key(long i) {
    return Long.toString(i).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] value(long i, byte[] pad) {
    byte[] head = ("value-" + i + "-").getBytes(StandardCharsets.UTF_8);
    byte[] v = new byte[head.length + pad.length];
    System.arraycopy(head, 0, v, 0, head.length);
    return v;
  }
}
