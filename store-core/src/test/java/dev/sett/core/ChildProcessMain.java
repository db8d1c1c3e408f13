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
 *   <li>{@code open DIR}: opens the store and prints the outcome ({@code opened}, or the exception);</li>
 *   <li>{@code hold DIR}: opens the store, prints {@code open}, and waits to be killed;</li>
 *   <li>{@code write DIR SYNCMODE}: writes key i = value "value-i" (every fifth write a batch of
 *       two keys), printing {@code ack i} after each write returns, until killed.</li>
 * </ul>
 */
public final class ChildProcessMain {
  private ChildProcessMain() {
  }

  static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).build();

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "open":
        try (Store s = Sett.open(dir, OPTIONS)) {
          System.out.println("opened " + s.stats().liveKeys());
        } catch (StoreException e) {
          System.out.println("failed " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        break;
      case "contend": {
        // Tries to open the store for writing again and again; a writer that gets in writes over
        // the other writer's keys, as a second writer would.
        int refused = 0;
        int attempts = Integer.parseInt(args[2]);
        for (int i = 0; i < attempts; i++) {
          try (Store s = Sett.open(dir, OPTIONS)) {
            s.put("contender".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[1]);
            System.out.println("opened at attempt " + i);
          } catch (dev.sett.api.StoreLockedException e) {
            refused++;
          }
          Thread.sleep(5);
        }
        System.out.println("refused " + refused);
        break;
      }
      case "hold":
        Store held = Sett.open(dir, OPTIONS);
        System.out.println("open " + held.stats().liveKeys());
        System.out.flush();
        Thread.sleep(600_000);
        break;
      case "write":
        write(dir, SyncMode.valueOf(args[2]));
        break;
      case "workload":
        workload(dir);
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
