// After the build (Surefire and Failsafe ran the tests with the README's argLine, on the build's
// JDK): no JVM or SLF4J warning anywhere in the build's output, both tests really ran, and the jar
// runs under `java -jar` (README, "java -jar") and from a class path with the one-line form of the
// flags (README, "IntelliJ IDEA and Gradle's application plugin"), printing nothing on stderr.
def feature = Runtime.version().feature()
// README, "Quick start": what it prints.
def QUICK_START_OUTPUT = 'user:1 = Ada\nuser:2 = Grace\nuser:3 = Barbara\n3 Ada 5'
// A fenced block of the README (../readme-block.groovy, next to the projects' sources).
def readmeFile = new File(basedir, '../../../../README.md')
def readmeBlockOf = evaluate(new File(basedir, '../../../../sett-bom/src/it/readme-block.groovy'))
def readmeBlock = { String name -> readmeBlockOf.call(readmeFile, name) }
def javaBin = new File(System.getProperty('java.home'), 'bin/java').path

def log = new File(basedir, 'build.log').text
['WARNING: A terminally deprecated method', 'WARNING: A restricted method', 'WARNING: Use --enable-native-access',
 'SLF4J(W)', 'EnvironmentException'].each { noise ->
  assert !log.contains(noise) : "the build printed '$noise' on JDK $feature; see ${basedir}/build.log"
}
['target/surefire-reports/TEST-example.flags.OpensAStoreTest.xml',
 'target/failsafe-reports/TEST-example.flags.OpensAStoreIT.xml'].each { report ->
  def f = new File(basedir, report)
  assert f.isFile() : "$report is missing: the test did not run"
  assert f.text =~ /tests="1"[^>]*failures="0"|failures="0"[^>]*tests="1"/ : "$report: ${f.text.take(400)}"
}

def run = { List<String> cmd ->
  def p = cmd.execute()
  def out = new StringBuilder(), err = new StringBuilder()
  p.waitForProcessOutput(out, err)
  [code: p.exitValue(), out: out.toString().trim(), err: err.toString(), cmd: cmd.join(' ')]
}

// README: java -jar needs nothing more before JDK 24; from 24 one flag the manifest cannot carry.
def jar = [javaBin] + (feature >= 24 ? ['--sun-misc-unsafe-memory-access=allow'] : []) +
    ['-jar', new File(basedir, 'target/flags-1.jar').path, new File(basedir, 'target/jar-store').path]
def byJar = run(jar)
assert byJar.code == 0 && byJar.out == QUICK_START_OUTPUT : "java -jar on JDK $feature: $byJar"
assert byJar.err.isEmpty() : "java -jar on JDK $feature printed on stderr: $byJar"

// README: the one line that works on every JDK from 17 (for run configurations whose JDK may change).
def oneLine = readmeBlock('one-line flags')
def cp = ([new File(basedir, 'target/classes')] + new File(basedir, 'target/lib').listFiles().toList().sort())
    .collect { it.path }.join(File.pathSeparator)
def byClassPath = run([javaBin] + oneLine.split(' ').toList() +
    ['-cp', cp, 'example.flags.Main', new File(basedir, 'target/cp-store').path])
assert byClassPath.code == 0 && byClassPath.out == QUICK_START_OUTPUT : "class path run on JDK $feature: $byClassPath"
assert byClassPath.err.isEmpty() : "the one-line flags on JDK $feature printed on stderr: $byClassPath"
println "flag snippets on JDK $feature: Surefire, Failsafe, java -jar and the one-line form ran quietly"
return true
