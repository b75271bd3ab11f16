/** The common base of the generated classes (see Generated.hx). */
class GenBase {
    var seed:Int;

    public function new(seed:Int) {
        this.seed = seed;
    }

    public function label():String return "base";

    function hash(s:String):Int {
        var h = 5381;
        for (k in 0...s.length) h = ((h << 5) + h + s.charCodeAt(k)) | 0;
        return h & 0xffff;
    }
}
