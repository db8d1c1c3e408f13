package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteViewTest {
  private static final byte[] VALUE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

  @TempDir Path dir;
  private Store store;

  @BeforeEach
  void open() {
    store = Sett.open(dir);
    store.put(b("k"), VALUE);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Runs the same checks on the snapshot view and on the callback view. */
  private void bothViews(java.util.function.Consumer<ByteView> check) {
    try (Snapshot snap = store.snapshot()) {
      check.accept(snap.get(b("k")));
    }
    store.read(b("k"), v -> {
      check.accept(v);
      return null;
    });
  }

  @Test
  void multiByteReadsAreBigEndian() {
    bothViews(v -> {
      assertEquals(12, v.size());
      assertEquals(3, v.getByte(2));
      assertEquals(0x01020304, v.getInt(0));
      assertEquals(0x05060708090A0B0CL, v.getLong(4));
    });
  }

  @Test
  void readsOutsideTheViewThrowIndexOutOfBounds() {
    bothViews(v -> {
      assertThrows(IndexOutOfBoundsException.class, () -> v.getByte(12));
      assertThrows(IndexOutOfBoundsException.class, () -> v.getByte(-1));
      assertThrows(IndexOutOfBoundsException.class, () -> v.getInt(9));
      assertThrows(IndexOutOfBoundsException.class, () -> v.getLong(5));
      assertThrows(IndexOutOfBoundsException.class, () -> v.copyTo(4, new byte[20], 0, 9));
      assertThrows(IndexOutOfBoundsException.class, () -> v.copyTo(0, new byte[4], 1, 4));
    });
  }

  @Test
  void copiesAndBuffersHoldExactlyTheValue() {
    bothViews(v -> {
      assertArrayEquals(VALUE, v.toByteArray());
      byte[] part = new byte[5];
      v.copyTo(3, part, 1, 4);
      assertArrayEquals(new byte[] {0, 4, 5, 6, 7}, part);
      ByteBuffer dst = ByteBuffer.allocate(20);
      v.copyTo(dst);
      assertEquals(12, dst.position());
      ByteBuffer ro = v.asByteBuffer();
      assertTrue(ro.isReadOnly());
      assertEquals(ByteBuffer.wrap(VALUE), ro);
      assertThrows(ReadOnlyBufferException.class, () -> ro.put(0, (byte) 9));
      assertTrue(v.contentEquals(VALUE));
      assertFalse(v.contentEquals(new byte[12]));
      assertFalse(v.contentEquals(null));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertEquals(12, v.transferTo(Channels.newChannel(out)));
      assertArrayEquals(VALUE, out.toByteArray());
    });
    assertArrayEquals(VALUE, store.get(b("k")), "nothing written through a view");
  }

  @Test
  void callbackViewUsedAfterTheCallbackThrows() {
    AtomicReference<ByteView> leaked = new AtomicReference<>();
    long r = store.readLong(b("k"), v -> {
      leaked.set(v);
      return v.getLong(0);
    }, -1);
    assertEquals(0x0102030405060708L, r);
    assertThrows(StoreClosedException.class, () -> leaked.get().getByte(0));
    assertThrows(StoreClosedException.class, () -> leaked.get().toByteArray());
  }

  @Test
  void callbackViewUsedFromAnotherThreadThrows() {
    store.read(b("k"), v -> {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> CompletableFuture.supplyAsync(() -> v.getByte(0)).get());
      assertTrue(e.getCause() instanceof StoreClosedException, e.getCause().toString());
      return null;
    });
  }

  @Test
  void readCallbacksAreNotCalledForAbsentKeys() {
    assertNull(store.read(b("absent"), v -> {
      throw new AssertionError("called");
    }));
    assertEquals(-7, store.readLong(b("absent"), v -> {
      throw new AssertionError("called");
    }, -7));
  }

  @Test
  void nestedReadsInsideACallbackUseTheirOwnView() {
    store.put(b("other"), b("xyz"));
    String result = store.read(b("k"), outer -> {
      byte inner = store.read(b("other"), v -> v.getByte(0));
      return outer.getByte(0) + ":" + (char) inner + ":" + outer.getByte(11);
    });
    assertEquals("1:x:12", result);
  }

  @Test
  void closeInsideACallbackIsRefusedAndCompactionThereLeavesTheViewReadable() {
    String m = store.read(b("k"), v -> {
      dev.sett.api.StoreException close = assertThrows(dev.sett.api.StoreException.class, store::close);
      // Compaction may move this very record; the view's segment stays mapped until the callback ends.
      store.put(b("k2"), VALUE);
      store.compact(true);
      return close.getMessage() + " " + v.getByte(0) + v.getByte(11);
    });
    assertTrue(m.contains("inside a read callback"), m);
    assertTrue(m.endsWith(" 112"), m);
    assertArrayEquals(VALUE, store.get(b("k")));
  }
}
