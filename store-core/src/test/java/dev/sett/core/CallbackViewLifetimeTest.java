package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sett.api.ByteView;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A view handed to a read callback is valid only inside that callback, whatever happens next. */
class CallbackViewLifetimeTest {
  @TempDir Path dir;

  @Test
  void viewKeptFromACallbackThrowsInsideALaterCallback() {
    try (Store store = Sett.open(dir)) {
      store.put(b("a"), b("first value"));
      store.put(b("b"), b("second"));
      AtomicReference<ByteView> kept = new AtomicReference<>();
      store.read(b("a"), v -> {
        kept.set(v);
        return null;
      });
      // Used inside another callback on the same thread, the kept view must not read "b".
      store.read(b("b"), v -> {
        assertThrows(StoreClosedException.class, () -> kept.get().size());
        assertThrows(StoreClosedException.class, () -> kept.get().toByteArray());
        assertEquals(6, v.size());
        return null;
      });
      store.readLong(b("b"), v -> {
        assertThrows(StoreClosedException.class, () -> kept.get().getByte(0));
        return 0;
      }, -1);
      assertThrows(StoreClosedException.class, () -> kept.get().size());
    }
  }

  @Test
  void viewKeptFromANestedCallbackThrowsInTheOuterOne() {
    try (Store store = Sett.open(dir)) {
      store.put(b("a"), b("outer"));
      store.put(b("b"), b("inner value"));
      store.read(b("a"), outer -> {
        AtomicReference<ByteView> inner = new AtomicReference<>();
        store.read(b("b"), v -> {
          inner.set(v);
          return null;
        });
        assertThrows(StoreClosedException.class, () -> inner.get().size());
        assertEquals(5, outer.size());
        return null;
      });
    }
  }
}
