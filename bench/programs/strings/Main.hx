// String building: StringBuf, concatenation, number formatting, substring search.
class Main {
    static function main() {
        var total = 0;
        for (round in 0...20) {
            var b = new StringBuf();
            for (i in 0...20000) {
                b.add("item");
                b.add(i);
                b.addChar(",".code);
                if (i % 7 == 0) b.add(i * 0.5);
            }
            var s = b.toString();
            total += s.length;
            var parts = s.split(",");
            total += parts.length;
            var pos = 0, hits = 0;
            while ((pos = s.indexOf("item1", pos)) >= 0) { hits++; pos++; }
            total += hits;
            var concat = "";
            for (i in 0...2000) concat += Std.string(i);
            total += concat.length + concat.toUpperCase().charCodeAt(5);
        }
        Sys.println("strings " + total);
    }
}
