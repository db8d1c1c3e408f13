// The check both consumer projects run after their build (each one's verify.groovy calls it; see
// README.md): the versions its class path resolved to, from target/resolved.txt (dependency:list),
// against the versions the Sett build pins, passed in by store-tools' invoker configuration
// (scriptVariables), i.e. taken from sett-bom.
def resolved = [:]   // groupId:artifactId[:classifier] -> version
new File(basedir, 'target/resolved.txt').eachLine { raw ->
  def line = raw.trim().split(/\s+/)[0]          // drop " -- module ..." and the like
  def p = line.split(':')                        // g:a:type[:classifier]:version:scope
  if (p.length == 5) {
    resolved["${p[0]}:${p[1]}"] = p[3]
  } else if (p.length == 6) {
    resolved["${p[0]}:${p[1]}:${p[3]}"] = p[4]
  }
}

def expected = [
  'dev.sett:store-api'             : settVersion,
  'dev.sett:store-core'            : settVersion,
  'com.github.jnr:jnr-ffi'         : jnrFfiVersion,
  'com.github.jnr:jffi'            : jffiVersion,
  'com.github.jnr:jffi:native'     : jffiVersion,
  'net.openhft:chronicle-bytes'    : chronicleBytesVersion,
  'net.openhft:chronicle-core'     : chronicleCoreVersion,
  'net.openhft:posix'              : chroniclePosixVersion,
  'org.roaringbitmap:RoaringBitmap': roaringbitmapVersion,
  'org.slf4j:slf4j-api'            : slf4jVersion,
]
if (basedir.name == 'with-bom') {
  expected['dev.sett:store-tools'] = settVersion
  expected['dev.sett:store-kafka'] = settVersion
  expected['dev.sett:store-micrometer'] = settVersion
}

def problems = []
expected.each { ga, version ->
  if (resolved[ga] != version) {
    problems << "${ga}: expected ${version}, resolved ${resolved[ga] ?: 'nothing'}"
  }
}
resolved.keySet().findAll { it == 'net.openhft:chronicle-analytics' || it.startsWith('net.java.dev.jna:') }.each {
  problems << "${it} is on the class path; Sett excludes it"
}
resolved.findAll { ga, v -> ga.startsWith('dev.sett:') && v != settVersion }.each { ga, v ->
  problems << "${ga}: expected ${settVersion}, resolved ${v}"
}

if (problems) {
  throw new AssertionError("${basedir.name}: " + problems.join('; '))
}
println "${basedir.name}: ${expected.size()} artifacts resolved to the versions Sett pins"
return true
