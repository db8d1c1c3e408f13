package dev.sett.core;

import dev.sett.api.KeyRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds {@link KeyRun}s: from keys in any order, from frozen deltas, and by merging runs. The
 * building blocks of {@link OrderedKeys}' background merges and of an open's runs.
 *
 * <p>Stateless; each call works on what it is given (runs are immutable apart from dead marks,
 * which a merge reads as it goes).
 */
final class KeyRuns {
  private KeyRuns() {
  }

  /**
   * A run of the first {@code n} of {@code keys}, each once, given in any order (a version-1 hint
   * or a scanned segment lists them in append order; sorted here, in place).
   */
  static KeyRun ofUnsorted(byte[][] keys, int n) {
    KeySort.sort(keys, n);
    KeyRun.Builder b = new KeyRun.Builder(Math.max(16, n));
    byte[] last = null;
    for (int i = 0; i < n; i++) {
      if (last == null || !Arrays.equals(last, keys[i])) {
        b.add(keys[i]);
      }
      last = keys[i];
    }
    return b.build();
  }

  /**
   * One run of the keys of {@code deltas}, each key once: through a heap of the deltas, as a scan
   * merges them, since a bulk load can freeze dozens of batches while a merge runs.
   */
  static KeyRun of(List<DeltaKeys> deltas) {
    long total = 0;
    List<MergedKeys.Source> sources = new ArrayList<>(deltas.size());
    for (DeltaKeys d : deltas) {
      total += d.size();
      sources.add(MergedKeys.of(d, KeyRange.all()));
    }
    KeyRun.Builder b = new KeyRun.Builder((int) Math.max(16, Math.min(Integer.MAX_VALUE - 8, total)));
    for (MergedKeys keys = new MergedKeys(sources, false); keys.hasNext();) {
      b.add(keys.next());
    }
    return b.build();
  }

  /** One run of the live keys of {@code runs}, each key once. */
  static KeyRun merge(List<KeyRun> runList) {
    // Arrays, not the list: a sublist's get() checked its bounds and its list's modification count
    // at each of the k accesses per key, a fifth of the merge thread's time.
    KeyRun[] runs = runList.toArray(new KeyRun[0]);
    int k = runs.length;
    long total = 0;
    int[] size = new int[k];
    for (int i = 0; i < k; i++) {
      total += runs[i].liveCount();
      size[i] = runs[i].size();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("more than 2^31 keys in one run");
    }
    KeyRun appended = appendInOrder(runs, (int) total);
    if (appended != null) {
      return appended;
    }
    KeyRun.Builder out = new KeyRun.Builder((int) total);
    int[] at = new int[k];
    // Each run's current key, copied out of its compressed block into a buffer of its own.
    byte[][] head = new byte[k][];
    int[] length = new int[k];
    for (int i = 0; i < k; i++) {
      at[i] = skipDead(runs[i], 0);
      load(runs[i], at[i], head, length, i);
    }
    for (;;) {
      int best = -1;
      for (int i = 0; i < k; i++) {
        if (at[i] < size[i] && (best < 0
            || Arrays.compareUnsigned(head[i], 0, length[i], head[best], 0, length[best]) < 0)) {
          best = i;
        }
      }
      if (best < 0) {
        return out.build();
      }
      out.add(head[best], 0, length[best]);
      for (int i = 0; i < k; i++) {
        if (i != best && at[i] < size[i]
            && Arrays.equals(head[i], 0, length[i], head[best], 0, length[best])) {
          at[i] = skipDead(runs[i], at[i] + 1);
          load(runs[i], at[i], head, length, i);
        }
      }
      at[best] = skipDead(runs[best], at[best] + 1);
      load(runs[best], at[best], head, length, best);
    }
  }

  /** Copies key {@code at} of {@code run} (if it has one) into {@code head[i]}, grown as needed. */
  private static void load(KeyRun run, int at, byte[][] head, int[] length, int i) {
    if (at >= run.size()) {
      return;
    }
    int n = run.keyLength(at);
    if (head[i] == null || head[i].length < n) {
      head[i] = new byte[Math.max(n, head[i] == null ? 64 : head[i].length * 2)];
    }
    run.keyInto(at, head[i]);
    length[i] = n;
  }

  private static int skipDead(KeyRun r, int i) {
    while (i < r.size() && r.isDead(i)) {
      i++;
    }
    return i;
  }

  /**
   * The merge of {@code runs} when their keys do not interleave (in some order of the runs, each
   * run's last key comes before the next one's first) and none has dead keys, as an ascending load
   * leaves them: the run with the smallest keys keeps its full blocks, shared, and only the rest is
   * written. Null if the runs interleave or have dead keys (a full merge is needed).
   */
  private static KeyRun appendInOrder(KeyRun[] runs, int total) {
    if (runs.length < 2) {
      return null;
    }
    KeyRun[] byFirst = new KeyRun[runs.length];
    int n = 0;
    for (KeyRun r : runs) {
      if (r.deadCount() > 0) {
        return null;
      }
      if (r.size() > 0) {
        byFirst[n++] = r;
      }
    }
    if (n < 2) {
      return null;
    }
    byte[][] first = new byte[n][];
    for (int i = 0; i < n; i++) {
      first[i] = byFirst[i].key(0);
    }
    int[] order = KeySort.order(first, n, null);
    for (int i = 0; i + 1 < n; i++) {
      KeyRun a = byFirst[order[i]];
      if (a.compareAt(a.size() - 1, first[order[i + 1]]) >= 0) {
        return null; // the runs interleave, or share a key
      }
    }
    KeyRun head = byFirst[order[0]];
    KeyRun.Builder out = KeyRun.Builder.continuing(head, total);
    byte[] buffer = new byte[64];
    for (int r = 0; r < n; r++) {
      KeyRun run = byFirst[order[r]];
      for (int i = r == 0 ? KeyRun.Builder.continuedKeys(head) : 0; i < run.size(); i++) {
        int length = run.keyLength(i);
        if (buffer.length < length) {
          buffer = new byte[Math.max(length, 2 * buffer.length)];
        }
        run.keyInto(i, buffer);
        out.add(buffer, 0, length);
      }
    }
    return out.build();
  }
}
