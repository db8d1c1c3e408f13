package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start, run as a test so the README cannot drift from the API. */
class QuickStartTest {
  @TempDir Path tmp;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readmeQuickStartRuns() {
    List<String> printed = new ArrayList<>();
    Path dir = tmp.resolve("data");
    // --- README quick start begins ---
    StoreOptions options = StoreOptions.builder().syncMode(SyncMode.ALWAYS).build();
    try (Store store = Sett.open(dir, options)) {
      store.put(utf8("user:1"), utf8("Ada"));
      store.write(new WriteBatch()
          .put(utf8("user:2"), utf8("Grace"))
          .put(utf8("user:3"), utf8("Barbara")));

      byte[] copy = store.get(utf8("user:1"));                      // a copy: yours to keep
      long length = store.readLong(utf8("user:2"), v -> v.size(), -1); // zero-copy, no copy of the value

      try (Snapshot snapshot = store.snapshot()) {
        ByteView ada = snapshot.get(utf8("user:1"));                 // zero-copy view of the mapping
        try (Cursor c = snapshot.scan(KeyRange.prefix(utf8("user:")))) {
          while (c.next()) {
            printed.add(new String(c.key().toByteArray(), StandardCharsets.UTF_8) + " = "
                + new String(c.value().toByteArray(), StandardCharsets.UTF_8));
          }
        }
        printed.add(ada.size() + " " + new String(copy, StandardCharsets.UTF_8) + " " + length);
      } // views from the snapshot stop working here
    }
    // --- README quick start ends ---
    assertEquals(List.of("user:1 = Ada", "user:2 = Grace", "user:3 = Barbara", "3 Ada 5"), printed);
  }
}
