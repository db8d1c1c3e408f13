package dev.sett.core;

import dev.sett.api.KeyRange;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
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

  /** The keys of {@code range} in a skip list (the delta, or a frozen one). */
  static Source of(NavigableSet<byte[]> keys, KeyRange range) {
    byte[] from = range.lowerBound();
    byte[] to = range.upperBound();
    NavigableSet<byte[]> view;
    if (from != null && to != null) {
      view = keys.subSet(from, true, to, false);
    } else if (from != null) {
      view = keys.tailSet(from, true);
    } else if (to != null) {
      view = keys.headSet(to, false);
    } else {
      view = keys;
    }
    Iterator<byte[]> it = range.isReverse() ? view.descendingIterator() : view.iterator();
    Source s = new Source() {
      @Override
      void advance() {
        head = it.hasNext() ? it.next() : null;
      }
    };
    s.advance();
    return s;
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
