package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever happens to the files under an open store (a segment deleted or replaced, the directory
 * renamed), every call either works or throws a {@link StoreException}: no
 * {@code UncheckedIOException}, {@code NullPointerException} or {@code InternalError} escapes.
 */
class FileTroubleTest {
  @TempDir Path tmp;

  private static final StoreOptions OPTIONS = StoreOptions.builder()
      .segmentSize(64 << 10)
      .syncMode(SyncMode.ALWAYS)
      .build();

  /** Runs every kind of call; returns the exceptions that are not StoreExceptions. */
  private static List<Throwable> everyCall(Store s) {
    List<Throwable> wrong = new ArrayList<>();
    List<Runnable> calls = List.of(
        () -> s.put(b("new"), new byte[3000]),
        () -> s.write(new WriteBatch().put(b("b1"), b("v")).delete(b("k1"))),
        () -> s.get(b("k2")),
        () -> s.read(b("k3"), ByteView::toByteArray),
        () -> s.contains(b("k4")),
        () -> {
          try (Snapshot snap = s.snapshot()) {
            ByteView v = snap.get(b("k5"));
            if (v != null) {
              v.asByteBuffer();
            }
            try (Cursor c = snap.scan(KeyRange.all())) {
              while (c.next()) {
                c.value().asByteBuffer();
              }
            }
          }
        },
        s::sync,
        () -> s.compact(true),
        s::stats);
    for (int round = 0; round < 3; round++) {
      for (Runnable call : calls) {
        try {
          call.run();
        } catch (StoreException expected) {
          // fine: a clear, typed failure
        } catch (Throwable t) {
          wrong.add(t);
        }
      }
    }
    return wrong;
  }

  private static void fill(Store s) {
    for (int i = 0; i < 200; i++) {
      s.put(b("k" + i), new byte[700]);
    }
  }

  /** Something done to the files of an open store. */
  private interface Damage {
    void apply(Path dir) throws Exception;
  }

  /** Fills a store, applies {@code damage} while it is open, then makes every call. */
  private void assertOnlyStoreExceptionsAfter(Damage damage) throws Exception {
    Path dir = tmp.resolve("s");
    List<Throwable> wrong = new ArrayList<>();
    try (Store s = Sett.open(dir, OPTIONS)) {
      fill(s);
      damage.apply(dir);
      wrong.addAll(everyCall(s));
    } catch (StoreException closing) {
      // reported: fine
    }
    assertTrue(wrong.isEmpty(), "escaped: " + wrong);
  }

  @Test
  void deletedSegmentFilesGiveStoreExceptionsOnly() throws Exception {
    assertOnlyStoreExceptionsAfter(dir -> {
      for (Path seg : StoreTestSupport.segmentFiles(dir)) {
        Files.delete(seg);
      }
    });
  }

  @Test
  void replacedSegmentFilesGiveStoreExceptionsOnly() throws Exception {
    assertOnlyStoreExceptionsAfter(dir -> {
      for (Path seg : StoreTestSupport.segmentFiles(dir)) {
        Files.delete(seg);
        Files.write(seg, new byte[10]); // a short file where a segment was
      }
    });
  }

  @Test
  void aRenamedDirectoryGivesStoreExceptionsOnly() throws Exception {
    assertOnlyStoreExceptionsAfter(dir -> Files.move(dir, tmp.resolve("moved")));
  }
}
