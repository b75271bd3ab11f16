// Maps: StringMap and IntMap inserts, lookups, updates and removals.
class Main {
    static function main() {
        var total = 0;
        for (round in 0...10) {
            var ints = new Map<Int, Int>();
            for (i in 0...200000) ints.set(i * 7, i);
            for (i in 0...200000) total += ints.get(i * 7);
            for (i in 0...100000) ints.remove(i * 14);
            for (k in ints.keys()) total += k & 1;
            var strings = new Map<String, Int>();
            for (i in 0...50000) strings.set("key" + i, i);
            for (i in 0...50000) if (strings.exists("key" + (i * 3))) total += strings.get("key" + (i * 3));
        }
        Sys.println("maps " + total);
    }
}
