package dev.sett.core;

import dev.sett.api.KeyRange;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The keys of a range across the levels of {@link OrderedKeys}, merged in the range's direction,
 * each key once (a key dropped and written again sits in two levels). With one source, as after a
 * merge finished, keys pass straight through.
 *
 * <p>Single-threaded, like the cursor that owns it.
 */
final class MergedKeys implements Iterator<byte[]> {
  /** One level's keys of the range, in the range's direction. */
  abstract static class Source {
    /** The current key, or null when the source is exhausted. */
    byte[] head;

    abstract void advance();
  }

  private final Source[] sources;
  private final int sign;
  private byte[] next;

  MergedKeys(List<Source> all, boolean reverse) {
    this.sources = all.stream().filter(s -> s.head != null).toArray(Source[]::new);
    this.sign = reverse ? -1 : 1;
    this.next = pick();
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public byte[] next() {
    byte[] k = next;
    if (k == null) {
      throw new NoSuchElementException();
    }
    next = pick();
    return k;
  }

  private byte[] pick() {
    Source[] s = sources;
    if (s.length == 1) {
      byte[] k = s[0].head;
      if (k != null) {
        s[0].advance();
      }
      return k;
    }
    byte[] best = null;
    for (Source src : s) {
      byte[] h = src.head;
      if (h != null && (best == null || sign * OrderedKeys.ORDER.compare(h, best) < 0)) {
        best = h;
      }
    }
    if (best != null) {
      for (Source src : s) {
        byte[] h = src.head;
        if (h != null && (h == best || OrderedKeys.ORDER.compare(h, best) == 0)) {
          src.advance();
        }
      }
    }
    return best;
  }

  /** The keys of {@code range} in a delta, read from its leaves as they are when the scan starts. */
  static Source of(DeltaKeys delta, KeyRange range) {
    Source s = range.isReverse()
        ? new DeltaBackward(delta.directory(), range.lowerBound(), range.upperBound())
        : new DeltaForward(delta.directory(), range.lowerBound(), range.upperBound());
    s.advance();
    return s;
  }

  /** Each leaf is an immutable array: once read, it is walked as it was. */
  private static final class DeltaForward extends Source {
    private final byte[][][] dir;
    private final byte[] to;
    private int leafIndex;
    private byte[][] leaf;
    private int i;

    DeltaForward(byte[][][] dir, byte[] from, byte[] to) {
      this.dir = dir;
      this.to = to;
      leafIndex = from == null ? 0 : DeltaKeys.leafFor(dir, from);
      leaf = DeltaKeys.leaf(dir, leafIndex);
      int at = from == null ? 0 : DeltaKeys.search(leaf, from);
      i = (at >= 0 ? at : -at - 1) - 1;
    }

    @Override
    void advance() {
      i++;
      while (i >= leaf.length) {
        if (++leafIndex >= dir.length) {
          head = null;
          return;
        }
        leaf = DeltaKeys.leaf(dir, leafIndex);
        i = 0;
      }
      byte[] k = leaf[i];
      head = to != null && OrderedKeys.ORDER.compare(k, to) >= 0 ? null : k;
    }
  }

  private static final class DeltaBackward extends Source {
    private final byte[][][] dir;
    private final byte[] from;
    private int leafIndex;
    private byte[][] leaf;
    private int i;

    DeltaBackward(byte[][][] dir, byte[] from, byte[] to) {
      this.dir = dir;
      this.from = from;
      leafIndex = to == null ? dir.length - 1 : DeltaKeys.leafFor(dir, to);
      leaf = DeltaKeys.leaf(dir, leafIndex);
      if (to == null) {
        i = leaf.length;
      } else {
        int at = DeltaKeys.search(leaf, to);
        i = at >= 0 ? at : -at - 1; // the first key not below the (exclusive) upper bound
      }
    }

    @Override
    void advance() {
      i--;
      while (i < 0) {
        if (--leafIndex < 0) {
          head = null;
          return;
        }
        leaf = DeltaKeys.leaf(dir, leafIndex);
        i = leaf.length - 1;
      }
      byte[] k = leaf[i];
      head = from != null && OrderedKeys.ORDER.compare(k, from) < 0 ? null : k;
    }
  }

  /** The live keys of {@code range} in a run. */
  static Source of(KeyRun run, KeyRange range) {
    byte[] from = range.lowerBound();
    byte[] to = range.upperBound();
    int lo = from == null ? 0 : run.ceiling(from);
    int hi = to == null ? run.size() : run.ceiling(to); // exclusive
    Source s = range.isReverse() ? new Source() {
      int i = hi;

      @Override
      void advance() {
        do {
          i--;
        } while (i >= lo && run.isDead(i));
        head = i >= lo ? run.key(i) : null;
      }
    } : new Source() {
      int i = lo - 1;

      @Override
      void advance() {
        do {
          i++;
        } while (i < hi && run.isDead(i));
        head = i < hi ? run.key(i) : null;
      }
    };
    s.advance();
    return s;
  }
}
