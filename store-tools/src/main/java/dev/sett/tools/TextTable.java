package dev.sett.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: each column left- or right-aligned, columns separated by two spaces, no
 * trailing spaces. An optional header row is underlined with dashes. Not thread-safe.
 */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final String align;
  private String[] header;

  /**
   * A table whose column {@code i} is left-aligned if {@code align.charAt(i)} is {@code 'L'} and
   * right-aligned if it is {@code 'R'}; columns beyond the string are left-aligned.
   */
  TextTable(String align) {
    this.align = align;
  }

  TextTable header(String... cells) {
    this.header = cells;
    return this;
  }

  TextTable row(String... cells) {
    rows.add(cells);
    return this;
  }

  void print(PrintWriter out, String indent) {
    int columns = header == null ? 0 : header.length;
    for (String[] r : rows) {
      columns = Math.max(columns, r.length);
    }
    int[] width = new int[columns];
    List<String[]> all = new ArrayList<>();
    if (header != null) {
      all.add(header);
    }
    all.addAll(rows);
    for (String[] r : all) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    if (header != null) {
      printRow(out, indent, header, width);
      String[] rule = new String[columns];
      for (int i = 0; i < columns; i++) {
        rule[i] = "-".repeat(width[i]);
      }
      printRow(out, indent, rule, width);
    }
    for (String[] r : rows) {
      printRow(out, indent, r, width);
    }
  }

  private void printRow(PrintWriter out, String indent, String[] cells, int[] width) {
    out.println(line(indent, cells, width, align));
  }

  /**
   * One row: each cell padded to its column's width (a wider cell is not cut), aligned as
   * {@code align} says (see the constructor), columns two spaces apart, no trailing spaces.
   */
  static String line(String indent, String[] cells, int[] width, String align) {
    StringBuilder sb = new StringBuilder(indent);
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      String pad = " ".repeat(Math.max(0, (i < width.length ? width[i] : 0) - cells[i].length()));
      if (i >= align.length() || align.charAt(i) != 'R') {
        sb.append(cells[i]).append(pad);
      } else {
        sb.append(pad).append(cells[i]);
      }
    }
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
    return sb.toString();
  }

  /** Prints {@code text} as a paragraph, breaking lines at spaces to at most {@code width} columns. */
  static void printWrapped(PrintWriter out, String text, int width) {
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" +")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.println(line);
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      out.println(line);
    }
  }
}
