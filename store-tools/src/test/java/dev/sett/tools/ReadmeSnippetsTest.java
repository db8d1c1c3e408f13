package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's copy-paste snippets that come from a checked file ({@code <!-- snippet: PATH#NAME -->}
 * before a fenced block) are exactly that file's region between {@code README snippet: NAME} and
 * {@code end README snippet}, so what users paste is what the consumer builds ran.
 */
class ReadmeSnippetsTest {
  private static final Path REPO = Path.of("..");
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([^#\\s]+)#([\\w-]+) -->");

  @Test
  void everyFileSnippetInTheReadmeIsTheFilesMarkedRegion() throws IOException {
    List<String> readme = Files.readAllLines(REPO.resolve("README.md"));
    int checked = 0;
    for (int i = 0; i < readme.size(); i++) {
      Matcher m = MARKER.matcher(readme.get(i));
      if (m.find()) {
        Path file = REPO.resolve(m.group(1));
        assertTrue(Files.isRegularFile(file), "README line " + (i + 1) + " names " + file + ", which is missing");
        assertEquals(region(Files.readAllLines(file), m.group(2), file), fencedBlockAfter(readme, i),
            "README line " + (i + 1) + ": the snippet differs from " + m.group(1) + "#" + m.group(2)
                + "; copy the file's region into the README");
        checked++;
      }
    }
    assertEquals(4, checked, "the Maven flag snippets (properties, profile, plugins, jar) are all marked");
  }

  @Test
  void aChangedRegionIsNoticed() {
    List<String> file = List.of("  <!-- README snippet: x -->", "  <a>1</a>", "  <!-- end README snippet -->");
    assertEquals("<a>1</a>", region(file, "x", Path.of("f")));
    List<String> readme = List.of("<!-- snippet: f#x -->", "```xml", "<a>2</a>", "```");
    assertTrue(!region(file, "x", Path.of("f")).equals(fencedBlockAfter(readme, 0)));
  }

  /** The lines between the markers, less the indentation of the opening marker. */
  private static String region(List<String> lines, String name, Path file) {
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("README snippet: " + name + " ")) {
        start = i;
        break;
      }
    }
    assertTrue(start >= 0, file + " has no region 'README snippet: " + name + "'");
    String indent = lines.get(start).substring(0, lines.get(start).indexOf(lines.get(start).strip()));
    List<String> out = new ArrayList<>();
    for (int i = start + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.contains("end README snippet")) {
        return String.join("\n", out);
      }
      out.add(line.startsWith(indent) ? line.substring(indent.length()) : line.strip());
    }
    throw new AssertionError(file + ": region '" + name + "' has no end marker");
  }

  private static String fencedBlockAfter(List<String> readme, int marker) {
    int open = marker + 1;
    assertTrue(open < readme.size() && readme.get(open).strip().startsWith("```"),
        "README line " + (marker + 1) + ": a snippet marker must be followed by a fenced block");
    List<String> out = new ArrayList<>();
    for (int i = open + 1; i < readme.size(); i++) {
      if (readme.get(i).strip().equals("```")) {
        return String.join("\n", out);
      }
      out.add(readme.get(i));
    }
    throw new AssertionError("README line " + (marker + 1) + ": the fenced block is not closed");
  }
}
