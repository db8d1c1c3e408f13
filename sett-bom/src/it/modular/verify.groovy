// Runs the modular application (src/main/java) on the module path with the build's own JDK: once
// with the module-path flags the README gives (it must work, print no warning, and report the same
// flags through Sett.requiredJvmFlags()), once without any (Sett must name the module-path flags).
def javaBin = new File(System.getProperty('java.home'), 'bin/java').path
def feature = Runtime.version().feature()
// A fenced block of the README (../readme-block.groovy, next to the projects' sources).
def readmeFile = new File(basedir, '../../../../README.md')
def readmeBlockOf = evaluate(new File(basedir, '../../../../sett-bom/src/it/readme-block.groovy'))
def readmeBlock = { String name -> readmeBlockOf.call(readmeFile, name) }
def modulePath = ([new File(basedir, 'target/classes')] + new File(basedir, 'target/lib').listFiles().toList().sort())
    .collect { it.path }.join(File.pathSeparator)

// README, "JVM flags", module path.
def flags = readmeBlock('module-path flags').split(' ').toList()
if (feature >= 24) {
  flags += ['--enable-native-access=org.jnrproject.jffi,chronicle.core', '--sun-misc-unsafe-memory-access=allow']
}

def run = { List<String> jvmFlags, String store ->
  def cmd = [javaBin] + jvmFlags + ['--module-path', modulePath, '-m', 'example.modular/example.modular.App',
                                    new File(basedir, "target/$store").path]
  def p = cmd.execute()
  def out = new StringBuilder(), err = new StringBuilder()
  p.waitForProcessOutput(out, err)
  [code: p.exitValue(), out: out.toString(), err: err.toString(), cmd: cmd.join(' ')]
}

def ok = run(flags, 'store-with-flags')
assert ok.code == 0 : "the modular app failed on JDK $feature:\n$ok"
assert ok.out.contains('keys 5000') : ok
assert ok.out.contains('modules example.modular dev.sett.api dev.sett.core') : "not run as modules: $ok"
assert ok.out.contains('flags ' + flags.join(' ')) : "Sett.requiredJvmFlags() differs from the README's: $ok"
assert !ok.err.contains('WARNING') : "JVM warnings with the README's flags on JDK $feature:\n${ok.err}"

def bare = run([], 'store-without-flags')
assert bare.code == 3 : "without flags Sett should refuse with an EnvironmentException:\n$bare"
assert bare.out.contains('--add-opens java.base/java.lang.reflect=chronicle.core') : bare
println "modular consumer on JDK $feature: ran on the module path; without flags: ${bare.out.trim()}"
return true
