package dev.sett.core;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The deterministic operation stream that {@link ReliabilityChildMain} runs and the parent tests
 * replay as their model: operation {@code i} of seed {@code s} is a pure function of both, so a
 * parent that knows the last acknowledged index knows exactly what the store must hold.
 *
 * <p>Operations: puts and overwrites of {@value #KEYS} keys, deletes, batches of 2 to 5 puts and
 * deletes and now and then of 40 to 48 (large enough to be staged), {@code sync()}, and compactions (mostly {@code compact()}, sometimes forced), on 64 KiB
 * segments with background compaction on. Values name their key and operation and have a length
 * derived from both, so a value from another key, another operation or a torn write is recognised.
 */
final class ReliabilityWorkload {
  private ReliabilityWorkload() {
  }

  static final int KEYS = 300;
  static final int PUT = 0;
  static final int DELETE = 1;
  static final int BATCH = 2;
  static final int SYNC = 3;
  static final int COMPACT = 4;
  static final int FORCED_COMPACT = 5;

  static StoreOptions options(SyncMode mode) {
    return StoreOptions.builder().segmentSize(StoreOptions.MIN_SEGMENT_SIZE).syncMode(mode)
        .autoCompaction(true).compactionTrigger(0.4, 1L << 20).build();
  }

  /** One operation: its kind, and for writes the keys with, per key, whether it is deleted. */
  static final class Op {
    final int kind;
    final int[] keys;
    final boolean[] deletes;

    Op(int kind, int[] keys, boolean[] deletes) {
      this.kind = kind;
      this.keys = keys;
      this.deletes = deletes;
    }

    boolean writes() {
      return keys.length > 0;
    }
  }

  static Op op(long seed, long i) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L);
    int p = r.nextInt(100);
    if (p < 55) {
      return new Op(PUT, new int[] {r.nextInt(KEYS)}, new boolean[] {false});
    } else if (p < 67) {
      return new Op(DELETE, new int[] {r.nextInt(KEYS)}, new boolean[] {true});
    } else if (p < 87) {
      // One batch in ten is large: 40 to 48 keys of 60 to 1,260 bytes, about half of them over the
      // size the writer stages and writes to the file instead of through the mapping
      // (Writer.STAGED_BATCH_BYTES), and all within a 64 KiB segment.
      int n = p < 85 ? 2 + r.nextInt(4) : 40 + r.nextInt(9);
      int[] keys = r.ints(0, KEYS).distinct().limit(n).toArray();
      boolean[] deletes = new boolean[n];
      for (int k = 0; k < n; k++) {
        deletes[k] = r.nextInt(5) == 0;
      }
      return new Op(BATCH, keys, deletes);
    } else if (p < 95) {
      return new Op(SYNC, new int[0], new boolean[0]);
    } else if (p < 99) {
      return new Op(COMPACT, new int[0], new boolean[0]);
    }
    return new Op(FORCED_COMPACT, new int[0], new boolean[0]);
  }

  static byte[] key(int k) {
    return ("key-" + k).getBytes(StandardCharsets.UTF_8);
  }

  /** The value operation {@code i} writes to key {@code k}: names both, 60 to 1,260 bytes. */
  static byte[] value(long seed, long i, int k) {
    byte[] head = ("k" + k + "@" + i + "#").getBytes(StandardCharsets.UTF_8);
    int len = head.length + 50 + (int) Math.floorMod(seed ^ (i * 31 + k) * 0x9E3779B97F4A7C15L, 1200L);
    byte[] v = Arrays.copyOf(head, len);
    for (int j = head.length; j < len; j++) {
      v[j] = (byte) ('a' + (i + j) % 26);
    }
    return v;
  }

  /** Runs operation {@code i} against {@code s}; returns segments compacted, or 0. */
  static int apply(Store s, long seed, long i) {
    Op op = op(seed, i);
    switch (op.kind) {
      case PUT:
        s.put(key(op.keys[0]), value(seed, i, op.keys[0]));
        return 0;
      case DELETE:
        s.delete(key(op.keys[0]));
        return 0;
      case BATCH:
        WriteBatch b = new WriteBatch();
        for (int k = 0; k < op.keys.length; k++) {
          if (op.deletes[k]) {
            b.delete(key(op.keys[k]));
          } else {
            b.put(key(op.keys[k]), value(seed, i, op.keys[k]));
          }
        }
        s.write(b);
        return 0;
      case SYNC:
        s.sync();
        return 0;
      case COMPACT:
        return s.compact(false).segmentsCompacted();
      default:
        return s.compact(true).segmentsCompacted();
    }
  }

  /** The model: for each present key, the index of the operation that wrote its value. */
  static void apply(Map<Integer, Long> model, long seed, long i) {
    Op op = op(seed, i);
    for (int k = 0; k < op.keys.length; k++) {
      if (op.deletes[k]) {
        model.remove(op.keys[k]);
      } else {
        model.put(op.keys[k], i);
      }
    }
  }

  /** Every key of the store with a copy of its value. */
  static Map<String, byte[]> contents(Store s) {
    Map<String, byte[]> out = new HashMap<>();
    try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
      while (c.next()) {
        out.put(new String(c.key().toByteArray(), StandardCharsets.UTF_8), c.value().toByteArray());
      }
    }
    return out;
  }

  /**
   * Compares a store's contents with the model after operation {@code last}, or after {@code last}
   * and then {@code inFlight} (an operation that may or may not have reached the store).
   *
   * @return null if the contents match one of the two, else a description of the first mismatch
   *     ({@code LOST} for an acknowledged value missing or older, {@code WRONG} for bytes that no
   *     acknowledged or in-flight operation wrote to that key)
   */
  static String mismatch(Map<String, byte[]> actual, Map<Integer, Long> model, long seed, long last, long inFlight) {
    String without = diff(actual, model, seed, null, -1);
    if (without == null) {
      return null;
    }
    if (inFlight < 0 || !op(seed, inFlight).writes()) {
      return without;
    }
    String with = diff(actual, model, seed, op(seed, inFlight), inFlight);
    return with == null ? null : without;
  }

  static String diff(Map<String, byte[]> actual, Map<Integer, Long> model, long seed, Op extra, long extraIndex) {
    Map<Integer, Long> expected = new HashMap<>(model);
    if (extra != null) {
      for (int k = 0; k < extra.keys.length; k++) {
        if (extra.deletes[k]) {
          expected.remove(extra.keys[k]);
        } else {
          expected.put(extra.keys[k], extraIndex);
        }
      }
    }
    for (Map.Entry<Integer, Long> e : expected.entrySet()) {
      byte[] v = actual.get("key-" + e.getKey());
      byte[] want = value(seed, e.getValue(), e.getKey());
      if (v == null) {
        return "LOST key-" + e.getKey() + ": absent, expected the value of operation " + e.getValue();
      }
      if (!Arrays.equals(v, want)) {
        return describe(v, e.getKey(), seed) + ", expected the value of operation " + e.getValue();
      }
    }
    for (Map.Entry<String, byte[]> e : actual.entrySet()) {
      int k = Integer.parseInt(e.getKey().substring(4));
      if (!expected.containsKey(k)) {
        return describe(e.getValue(), k, seed) + ", expected the key to be absent";
      }
    }
    return null;
  }

  private static String describe(byte[] v, int k, long seed) {
    String s = new String(v, 0, Math.min(v.length, 24), StandardCharsets.ISO_8859_1);
    int at = s.indexOf('@');
    int hash = s.indexOf('#');
    if (at > 0 && hash > at && s.startsWith("k" + k + "@")) {
      try {
        long i = Long.parseLong(s.substring(at + 1, hash));
        if (Arrays.equals(v, value(seed, i, k))) {
          return "LOST-OR-STALE key-" + k + ": holds the value of operation " + i;
        }
      } catch (NumberFormatException e) {
        // falls through
      }
    }
    return "WRONG key-" + k + ": holds " + v.length + " bytes starting " + s;
  }
}
