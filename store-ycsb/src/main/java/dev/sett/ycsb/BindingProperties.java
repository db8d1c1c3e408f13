package dev.sett.ycsb;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import site.ycsb.DBException;

/**
 * Reads the bindings' YCSB properties ({@code -p name=value} or a {@code -P} file) and turns a
 * missing or malformed one into a {@link DBException} that names the property and says what to
 * set it to. (YCSB prints an init failure and runs no operations, so the message is what the user
 * sees.)
 *
 * <p>Stateless; safe to use from any thread.
 */
final class BindingProperties {
  private BindingProperties() {
  }

  /**
   * The directory the store lives in; required.
   *
   * @param properties YCSB's properties
   * @param name the property, such as {@code sett.dir}
   * @return the directory as given (created when the store is opened)
   * @throws DBException if the property is missing, empty or not a path
   */
  static Path directory(Properties properties, String name) throws DBException {
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new DBException("property " + name + " is not set: pass -p " + name + "=<directory> (the store's"
          + " directory, created if missing; use an empty one for -load)");
    }
    try {
      return Path.of(value.trim());
    } catch (InvalidPathException e) {
      throw new DBException("property " + name + "=" + value + " is not a path: set it to the store's directory", e);
    }
  }

  /**
   * A true/false property.
   *
   * @param properties YCSB's properties
   * @param name the property
   * @param defaultValue its value when absent
   * @return its value
   * @throws DBException if it is neither {@code true} nor {@code false}
   */
  static boolean flag(Properties properties, String name, boolean defaultValue) throws DBException {
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new DBException("property " + name + "=" + value + " is invalid: set it to true or false (default "
            + defaultValue + ")");
    }
  }

  /**
   * One constant of {@code type}, by name, ignoring case.
   *
   * @param <E> the enum
   * @param properties YCSB's properties
   * @param name the property
   * @param type the enum's class
   * @param defaultValue its value when absent
   * @return its value
   * @throws DBException if it names no constant; the message lists them
   */
  static <E extends Enum<E>> E choice(Properties properties, String name, Class<E> type, E defaultValue)
      throws DBException {
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.trim())) {
        return constant;
      }
    }
    throw new DBException("property " + name + "=" + value + " is invalid: set it to one of "
        + Arrays.toString(type.getEnumConstants()) + " (default " + defaultValue + ")");
  }

  /**
   * A size in bytes: a whole number with an optional binary suffix {@code k}, {@code m}, {@code g}
   * or {@code t} (KiB to TiB), such as {@code 64g}.
   *
   * @param properties YCSB's properties
   * @param name the property
   * @param defaultValue its value in bytes when absent
   * @return its value in bytes, positive
   * @throws DBException if it is not such a size, or not positive
   */
  static long size(Properties properties, String name, long defaultValue) throws DBException {
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    int shift = 0;
    int suffix = "kmgt".indexOf(v.charAt(v.length() - 1));
    if (suffix >= 0) {
      shift = 10 * (suffix + 1);
      v = v.substring(0, v.length() - 1);
    }
    try {
      long number = Long.parseLong(v);
      if (number <= 0 || number > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException("out of range");
      }
      return number << shift;
    } catch (NumberFormatException e) {
      throw new DBException("property " + name + "=" + value + " is invalid: set it to a positive size in bytes,"
          + " optionally with a suffix k, m, g or t (such as 64g)", e);
    }
  }
}
