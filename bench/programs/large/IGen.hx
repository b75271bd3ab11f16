/** What Main.runGenerated() calls on each generated class (see Generated.hx). */
interface IGen {
    function run():Int;
    function label():String;
}
