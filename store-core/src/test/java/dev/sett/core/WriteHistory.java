package dev.sett.core;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every write a test made to a store, in order, with how far they were acknowledged, so that a store
 * recovered after a crash can be checked against the durability guarantee:
 * <ul>
 *   <li>each key holds one of the values written to it, and not one older than its last
 *       acknowledged write (deletes: absent);</li>
 *   <li>a batch's keys are all there or all absent (batch keys are written by that batch only);</li>
 *   <li>no key that was never written appears, and no value belongs to another key.</li>
 * </ul>
 * Operation {@code i} is "started" before the store is called and "acknowledged" when the promise
 * of durability covers it: when the call returned under {@code SyncMode.ALWAYS}, or when a later
 * {@code sync()} returned. Counters are volatile so a thread capturing a crash can read them around
 * the capture. One writer thread.
 */
final class WriteHistory {
  /** One write: a put or delete of one key, or a batch of puts to keys no one else writes. */
  record Write(int index, List<byte[]> keys, List<byte[]> values) {
    boolean isBatch() {
      return keys.size() > 1;
    }
  }

  private final List<Write> writes = new ArrayList<>();
  private volatile int started;
  private volatile int acknowledged;

  /** An independent copy, to go on from the same past in another run. */
  synchronized WriteHistory copy() {
    WriteHistory c = new WriteHistory();
    c.writes.addAll(writes);
    c.started = started;
    c.acknowledged = acknowledged;
    return c;
  }

  /** Records write {@code i} (keys and values; a null value is a delete) before it is made. */
  synchronized Write start(List<byte[]> keys, List<byte[]> values) {
    Write w = new Write(writes.size(), keys, values);
    writes.add(w);
    started = writes.size();
    return w;
  }

  /** The first {@code n} writes are durable (a {@code sync()} that began after them returned). */
  void acknowledgeFirst(int n) {
    acknowledged = Math.max(acknowledged, n);
  }

  /** Writes up to and including {@code w} are durable. */
  void acknowledgeThrough(Write w) {
    acknowledged = Math.max(acknowledged, w.index + 1);
  }

  int acknowledged() {
    return acknowledged;
  }

  int started() {
    return started;
  }

  static byte[] value(int index, String key, int length) {
    byte[] v = new byte[length];
    byte[] tag = ("v" + index + "/" + key + "/").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(tag, 0, v, 0, Math.min(tag.length, length));
    for (int i = tag.length; i < length; i++) {
      v[i] = (byte) (index * 31 + i);
    }
    return v;
  }

  /**
   * Checks {@code store} against the writes started before {@code startedBound}, of which the first
   * {@code ackBound} were acknowledged. Returns the problems found (empty when it holds).
   */
  List<String> check(Store store, int ackBound, int startedBound) {
    List<Write> view;
    synchronized (this) {
      view = new ArrayList<>(writes.subList(0, startedBound));
    }
    Map<String, List<Write>> byKey = new HashMap<>();
    for (Write w : view) {
      for (byte[] k : w.keys) {
        byKey.computeIfAbsent(key(k), x -> new ArrayList<>()).add(w);
      }
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<Write>> e : byKey.entrySet()) {
      byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
      checkKey(key, e.getValue(), store.get(key), ackBound, problems);
    }
    for (Write w : view) {
      if (w.isBatch()) {
        int present = 0;
        for (byte[] k : w.keys) {
          present += store.contains(k) ? 1 : 0;
        }
        if (present != 0 && present != w.keys.size()) {
          problems.add("batch " + w.index + " is torn: " + present + " of " + w.keys.size() + " keys present");
        }
      }
    }
    try (Snapshot s = store.snapshot(); Cursor c = s.scan(KeyRange.all())) {
      while (c.next()) {
        String k = key(c.key().toByteArray());
        if (!byKey.containsKey(k)) {
          problems.add("key " + k + " was never written");
        }
      }
    }
    return problems;
  }

  private static void checkKey(byte[] key, List<Write> history, byte[] actual, int ackBound, List<String> problems) {
    int lastAcked = -1;
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).index < ackBound) {
        lastAcked = i;
      }
    }
    boolean absentAllowed = lastAcked < 0;
    for (int i = Math.max(lastAcked, 0); i < history.size(); i++) {
      Write w = history.get(i);
      byte[] v = valueOf(w, key);
      if (v == null) {
        absentAllowed = absentAllowed || i >= lastAcked;
        if (actual == null) {
          return;
        }
      } else if (actual != null && Arrays.equals(v, actual)) {
        return;
      }
    }
    if (actual == null && absentAllowed) {
      return;
    }
    problems.add("key " + key(key) + ": " + (actual == null ? "absent" : "holds "
        + new String(actual, 0, Math.min(24, actual.length), StandardCharsets.ISO_8859_1))
        + " but the last acknowledged write was #" + (lastAcked < 0 ? "none" : history.get(lastAcked).index)
        + " of writes " + history.stream().map(w -> Integer.toString(w.index)).toList());
  }

  private static byte[] valueOf(Write w, byte[] key) {
    for (int i = 0; i < w.keys.size(); i++) {
      if (Arrays.equals(w.keys.get(i), key)) {
        return w.values.get(i);
      }
    }
    throw new AssertionError("write " + w.index + " does not touch " + key(key));
  }

  private static String key(byte[] k) {
    return new String(k, StandardCharsets.UTF_8);
  }
}
