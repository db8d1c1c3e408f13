package dev.sett.quickstart;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import dev.sett.core.Sett;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class QuickStart {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(ByteView v) {
    return new String(v.toByteArray(), StandardCharsets.UTF_8);
  }

  public static List<String> run(Path dir) {
    List<String> printed = new ArrayList<>();
    StoreOptions options = StoreOptions.builder().syncMode(SyncMode.ALWAYS).build();
    try (Store store = Sett.open(dir, options)) {
      store.put(utf8("user:1"), utf8("Ada"));
      store.write(new WriteBatch()
          .put(utf8("user:2"), utf8("Grace"))
          .put(utf8("user:3"), utf8("Barbara")));

      byte[] copy = store.get(utf8("user:1"));                         // a copy: yours to keep
      long length = store.readLong(utf8("user:2"), v -> v.size(), -1); // read in place, no copy

      try (Snapshot snapshot = store.snapshot()) {
        ByteView ada = snapshot.get(utf8("user:1"));                    // zero-copy view of the mapping
        try (Cursor c = snapshot.scan(KeyRange.prefix(utf8("user:")))) {
          while (c.next()) {
            printed.add(text(c.key()) + " = " + text(c.value()));
          }
        }
        printed.add(ada.size() + " " + new String(copy, StandardCharsets.UTF_8) + " " + length);
      } // views from the snapshot stop working here
    }
    return printed;
  }

  public static void main(String[] args) {
    run(Path.of(args.length > 0 ? args[0] : "quickstart-data")).forEach(System.out::println);
  }
}
