// Shared by the consumer projects' verify.groovy: returns a closure that gives the text of a fenced
// block of the README, the one after the marker <!-- snippet: NAME -->, its lines trimmed and joined
// with spaces. Called as evaluate(thisFile).call(readmeFile, name).
return { File readme, String name ->
  def lines = readme.readLines()
  int at = lines.findIndexOf { it.contains("<!-- snippet: $name -->") }
  assert at >= 0 : "the README has no block marked '$name'"
  int open = (at + 1..<lines.size()).find { lines[it].trim().startsWith('```') }
  int close = (open + 1..<lines.size()).find { lines[it].trim() == '```' }
  lines.subList(open + 1, close)*.trim().join(' ').trim()
}
