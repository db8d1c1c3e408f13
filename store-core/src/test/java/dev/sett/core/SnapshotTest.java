package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
  @TempDir Path dir;

  private Store open() {
    return Sett.open(dir, StoreOptions.builder().segmentSize(64 << 10).build());
  }

  private static List<String> keys(Cursor c) {
    return StoreTestSupport.entries(c);
  }

  @Test
  void snapshotDoesNotSeeLaterPutsOverwritesOrDeletes() {
    try (Store st = open()) {
      st.put(b("a"), b("1"));
      st.put(b("b"), b("2"));
      try (Snapshot snap = st.snapshot()) {
        st.put(b("a"), b("1-new"));
        st.delete(b("b"));
        st.put(b("c"), b("3"));
        assertEquals("1", s(snap.get(b("a")).toByteArray()));
        assertEquals("2", s(snap.get(b("b")).toByteArray()));
        assertNull(snap.get(b("c")));
        try (Cursor c = snap.scan(KeyRange.all())) {
          assertEquals(List.of("a=1", "b=2"), keys(c));
        }
      }
      try (Snapshot later = st.snapshot()) {
        assertEquals("1-new", s(later.get(b("a")).toByteArray()));
        assertNull(later.get(b("b")));
        try (Cursor c = later.scan(KeyRange.all())) {
          assertEquals(List.of("a=1-new", "c=3"), keys(c));
        }
      }
    }
  }

  @Test
  void snapshotKeepsOldVersionsAcrossSegmentRolls() {
    try (Store st = open()) {
      st.put(b("k"), b("old"));
      try (Snapshot snap = st.snapshot()) {
        for (int i = 0; i < 300; i++) {
          st.put(b("k"), new byte[1000]);
        }
        var segments = st.stats().segments();
        assertTrue(segments.get(segments.size() - 1).id() > 3, "the writes rolled several segments");
        st.compact(true);
        assertEquals("old", s(snap.get(b("k")).toByteArray()), "and compaction did not take the old version away");
      }
    }
  }

  @Test
  void viewAfterSnapshotCloseThrows() {
    try (Store st = open()) {
      st.put(b("k"), b("value"));
      Snapshot snap = st.snapshot();
      ByteView v = snap.get(b("k"));
      assertEquals(5, v.size());
      snap.close();
      assertThrows(StoreClosedException.class, v::size);
      assertThrows(StoreClosedException.class, () -> v.getByte(0));
      assertThrows(StoreClosedException.class, v::toByteArray);
      assertThrows(StoreClosedException.class, v::asByteBuffer);
      assertThrows(StoreClosedException.class, () -> snap.get(b("k")));
      snap.close();
    }
  }

  @Test
  void viewAfterStoreCloseThrows() {
    Store st = open();
    st.put(b("k"), b("value"));
    Snapshot snap = st.snapshot();
    ByteView v = snap.get(b("k"));
    st.close();
    assertThrows(StoreClosedException.class, v::toByteArray);
    assertThrows(StoreClosedException.class, () -> snap.scan(KeyRange.all()));
  }

  @Test
  void cursorAfterSnapshotCloseThrows() {
    try (Store st = open()) {
      st.put(b("a"), b("1"));
      st.put(b("b"), b("2"));
      Snapshot snap = st.snapshot();
      Cursor c = snap.scan(KeyRange.all());
      assertTrue(c.next());
      ByteView key = c.key();
      snap.close();
      assertThrows(StoreClosedException.class, c::next);
      assertThrows(StoreClosedException.class, key::toByteArray);
    }
  }

  @Test
  void keyAndValueBeforeNextThrowIllegalState() {
    try (Store st = open(); Snapshot snap = st.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
      assertThrows(IllegalStateException.class, c::key);
      assertFalse(c.next());
      assertThrows(IllegalStateException.class, c::value);
    }
  }

  @Test
  void scanOrdersKeysUnsignedLexicographicallyInBothDirections() {
    try (Store st = open()) {
      byte[][] ks = {{0x01}, {0x7F}, {(byte) 0x80}, {(byte) 0xFF}, {0x01, 0x00}, {(byte) 0x80, 0x01}};
      for (byte[] k : ks) {
        st.put(k, k);
      }
      try (Snapshot snap = st.snapshot()) {
        List<String> forward = new ArrayList<>();
        try (Cursor c = snap.scan(KeyRange.all())) {
          while (c.next()) {
            forward.add(Bytes.hex(c.key().toByteArray(), 8));
          }
        }
        assertEquals(List.of("01", "0100", "7f", "80", "8001", "ff"), forward);
        List<String> backward = new ArrayList<>();
        try (Cursor c = snap.scan(KeyRange.all().reverse())) {
          while (c.next()) {
            backward.add(Bytes.hex(c.key().toByteArray(), 8));
          }
        }
        assertEquals(List.of("ff", "8001", "80", "7f", "0100", "01"), backward);
      }
    }
  }

  @Test
  void scanHonoursPrefixAndBounds() {
    try (Store st = open()) {
      for (String k : new String[] {"app", "apple", "apricot", "banana", "ap", "b"}) {
        st.put(b(k), b(k.toUpperCase()));
      }
      try (Snapshot snap = st.snapshot()) {
        try (Cursor c = snap.scan(KeyRange.prefix(b("ap")))) {
          assertEquals(List.of("ap=AP", "app=APP", "apple=APPLE", "apricot=APRICOT"), keys(c));
        }
        try (Cursor c = snap.scan(KeyRange.between(b("apple"), b("b")))) {
          assertEquals(List.of("apple=APPLE", "apricot=APRICOT"), keys(c));
        }
        try (Cursor c = snap.scan(KeyRange.from(b("apricot")).reverse())) {
          assertEquals(List.of("banana=BANANA", "b=B", "apricot=APRICOT"), keys(c));
        }
        try (Cursor c = snap.scan(KeyRange.to(b("app")))) {
          assertEquals(List.of("ap=AP"), keys(c));
        }
        try (Cursor c = snap.scan(KeyRange.prefix(new byte[] {(byte) 0xFF}))) {
          assertFalse(c.next());
        }
      }
    }
  }

  @Test
  void batchIsVisibleAllAtOnceToSnapshots() {
    try (Store st = open()) {
      st.write(new WriteBatch().put(b("x"), b("1")).put(b("y"), b("1")));
      try (Snapshot before = st.snapshot()) {
        st.write(new WriteBatch().put(b("x"), b("2")).put(b("y"), b("2")));
        assertEquals("1", s(before.get(b("x")).toByteArray()));
        assertEquals("1", s(before.get(b("y")).toByteArray()));
      }
      try (Snapshot after = st.snapshot()) {
        assertEquals("2", s(after.get(b("x")).toByteArray()));
        assertEquals("2", s(after.get(b("y")).toByteArray()));
      }
    }
  }

  @Test
  void viewsOfALargeValueAreZeroCopyWindowsOfTheMapping() {
    try (Store st = open()) {
      byte[] value = new byte[40_000];
      for (int i = 0; i < value.length; i++) {
        value[i] = (byte) (i * 31);
      }
      st.put(b("big"), value);
      try (Snapshot snap = st.snapshot()) {
        ByteBuffer buf = snap.get(b("big")).asByteBuffer();
        assertTrue(buf.isDirect(), "a view is backed by the mapping, not a heap copy");
        assertTrue(buf.isReadOnly());
        assertEquals(value.length, buf.remaining());
        assertEquals(ByteBuffer.wrap(value), buf);
      }
    }
  }

  @Test
  void statsCountOpenSnapshots() {
    try (Store st = open()) {
      Snapshot a = st.snapshot();
      Snapshot b = st.snapshot();
      assertEquals(2, st.stats().openSnapshots());
      a.close();
      a.close();
      assertEquals(1, st.stats().openSnapshots());
      b.close();
      assertEquals(0, st.stats().openSnapshots());
    }
  }
}
