// JSON: stringify and parse a document of nested objects and arrays.
import haxe.Json;

class Main {
    static function main() {
        var items = [for (i in 0...2000) { id: i, name: "item " + i, tags: ["a", "b", "c" + (i % 10)], price: i * 1.25, ok: i % 2 == 0 }];
        var doc = { version: 1, items: items };
        var total = 0;
        for (round in 0...20) {
            var text = Json.stringify(doc);
            total += text.length;
            var back:Dynamic = Json.parse(text);
            var list:Array<Dynamic> = back.items;
            total += list.length;
            total += Std.int(list[list.length - 1].price);
        }
        Sys.println("json " + total);
    }
}
