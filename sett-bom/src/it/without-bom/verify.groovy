// Runs the shared check, sett-bom/src/it/check-versions.groovy (its path comes from store-tools'
// invoker configuration), with this script's variables.
evaluate(new File(checkScript))
