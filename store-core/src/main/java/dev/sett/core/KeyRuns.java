package dev.sett.core;

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
   * One run of the keys of {@code deltas}, each key once. A bulk load can freeze dozens of batches
   * while a merge runs; their keys are gathered (the arrays, not copies) and radix-sorted, which
   * cost the merge thread about half of what merging the deltas through a heap of comparisons did.
   */
  static KeyRun of(List<DeltaKeys> deltas) {
    long total = 0;
    for (DeltaKeys d : deltas) {
      total += d.size();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("more than 2^31 keys in one run");
    }
    byte[][] keys = new byte[(int) total][];
    int[] n = new int[1];
    for (DeltaKeys d : deltas) {
      d.forEach(k -> keys[n[0]++] = k);
    }
    return ofUnsorted(keys, n[0]);
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
    // Each run's current key, copied out of its compressed block into a buffer of its own, and its
    // eight bytes after the prefix every key of the runs shares, as a number: most comparisons are
    // decided by those numbers alone (comparing the arrays was two thirds of the merge's time).
    byte[][] head = new byte[k][];
    int[] length = new int[k];
    long[] window = new long[k];
    int shared = sharedPrefix(runs);
    for (int i = 0; i < k; i++) {
      at[i] = skipDead(runs[i], 0);
      load(runs[i], at[i], head, length, window, shared, i);
    }
    for (;;) {
      int best = -1;
      boolean tie = false;
      for (int i = 0; i < k; i++) {
        if (at[i] >= size[i]) {
          continue;
        }
        int c = best < 0 ? -1 : compare(head, length, window, i, best);
        if (c < 0) {
          best = i;
          tie = false;
        } else if (c == 0) {
          tie = true;
        }
      }
      if (best < 0) {
        return out.build();
      }
      out.add(head[best], 0, length[best]);
      if (tie) {
        // The same key in other runs (dropped and written again): taken once.
        for (int i = 0; i < k; i++) {
          if (i != best && at[i] < size[i] && compare(head, length, window, i, best) == 0) {
            at[i] = skipDead(runs[i], at[i] + 1);
            load(runs[i], at[i], head, length, window, shared, i);
          }
        }
      }
      at[best] = skipDead(runs[best], at[best] + 1);
      load(runs[best], at[best], head, length, window, shared, best);
    }
  }

  /** Unsigned order of the current keys of runs {@code a} and {@code b}, their windows first. */
  private static int compare(byte[][] head, int[] length, long[] window, int a, int b) {
    int c = Long.compareUnsigned(window[a], window[b]);
    return c != 0 ? c : Arrays.compareUnsigned(head[a], 0, length[a], head[b], 0, length[b]);
  }

  /**
   * How many leading bytes every key of {@code runs} shares: those their first and last keys
   * share, since every key lies between its run's first and last.
   */
  static int sharedPrefix(KeyRun[] runs) {
    byte[] reference = null;
    int shared = Integer.MAX_VALUE;
    for (KeyRun r : runs) {
      if (r.size() == 0) {
        continue;
      }
      for (byte[] key : new byte[][] {r.key(0), r.key(r.size() - 1)}) {
        if (reference == null) {
          reference = key;
          shared = key.length;
        } else {
          int end = Math.min(shared, key.length);
          int m = Arrays.mismatch(reference, 0, end, key, 0, end);
          shared = m < 0 ? end : m;
        }
      }
    }
    return reference == null ? 0 : shared;
  }

  /**
   * Copies key {@code at} of {@code run} (if it has one) into {@code head[i]}, grown as needed, and
   * sets its window.
   */
  private static void load(KeyRun run, int at, byte[][] head, int[] length, long[] window, int shared, int i) {
    if (at >= run.size()) {
      return;
    }
    int n = run.keyLength(at);
    if (head[i] == null || head[i].length < n) {
      head[i] = new byte[Math.max(n, head[i] == null ? 64 : head[i].length * 2)];
    }
    run.keyInto(at, head[i]);
    length[i] = n;
    window[i] = KeySort.window(head[i], 0, n, shared);
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
