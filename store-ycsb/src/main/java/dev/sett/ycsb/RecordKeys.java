package dev.sett.ycsb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one key format of all three bindings: the table name in UTF-8, a zero byte, then the record
 * key in UTF-8. All of a table's keys therefore share the prefix {@code table + 0x00} and sort
 * together in unsigned byte order (the order of all three stores), so a scan stays inside its
 * table by stopping at {@link #tableEnd}, the prefix with its last byte raised to {@code 0x01}.
 * A zero byte cannot occur in a UTF-8 table name other than as U+0000, which is refused, so no
 * table's keys can fall inside another's range.
 *
 * <p>Not thread-safe: it remembers the last table's prefix (YCSB uses one table), and each binding
 * instance, which YCSB gives one client thread, has its own.
 */
final class RecordKeys {
  private String table;
  private byte[] prefix;
  private byte[] end;

  /**
   * The stored key of {@code key} in {@code table}.
   *
   * @param table the table name
   * @param key the record key
   * @return a new array
   * @throws IllegalArgumentException if the table name contains U+0000
   */
  byte[] key(String table, String key) {
    byte[] p = prefix(table);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(p, p.length + k.length);
    System.arraycopy(k, 0, out, p.length, k.length);
    return out;
  }

  /**
   * The smallest stored key above every key of {@code table}: the exclusive end of its range.
   *
   * @param table the table name
   * @return an array shared with later calls: read it, never change it
   * @throws IllegalArgumentException if the table name contains U+0000
   */
  byte[] tableEnd(String table) {
    prefix(table);
    return end;
  }

  private byte[] prefix(String name) {
    if (!name.equals(table)) {
      if (name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("table name " + name.replace('\0', '?')
            + " contains U+0000, which separates the table from the key in stored keys; rename the table");
      }
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      prefix = Arrays.copyOf(bytes, bytes.length + 1);
      end = prefix.clone();
      end[end.length - 1] = 1;
      table = name;
    }
    return prefix;
  }
}
