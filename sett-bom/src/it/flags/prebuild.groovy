// Copies the README's Quick start, as printed, into this project's sources: the project then runs
// exactly what a user pastes (README, "Quick start").
def lines = new File(basedir, '../../../../README.md').readLines()
int at = lines.findIndexOf { it.startsWith('<!-- quick start: ') }
assert at >= 0 : 'the README has no Quick start block'
int open = at + 1
assert lines[open].startsWith('```java')
int close = (open + 1..<lines.size()).find { lines[it] == '```' }
def target = new File(basedir, 'src/main/java/dev/sett/quickstart/QuickStart.java')
target.parentFile.mkdirs()
target.text = lines.subList(open + 1, close).join('\n') + '\n'
return true
