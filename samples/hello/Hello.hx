// A first program for HlSharp: a greeting, a loop, a class, string building and a map.
// It sticks to the basics on purpose (Sys.println, classes, arrays, string concatenation,
// Std.string, Map), so an engine that runs basic Haxe can run it.
//
// Rebuild hello.hl after editing (the test suite fails while it is stale):
//     cd samples/hello && haxe -main Hello -hl hello.hl

class Greeter {
    public var name(default, null):String;
    var count:Int;

    public function new(name:String) {
        this.name = name;
        this.count = 0;
    }

    public function greet(who:String):String {
        count++;
        return name + " says hello to " + who + " (greeting #" + Std.string(count) + ")";
    }
}

class Hello {
    static function main() {
        Sys.println("Hello from Haxe, running on HlSharp!");

        var greeter = new Greeter("HlSharp");
        var guests = ["Ada", "Grace", "Linus"];
        for (guest in guests)
            Sys.println(greeter.greet(guest));

        // Squares up to 5, built into one line.
        var line = "squares:";
        var total = 0;
        for (i in 1...6) {
            line += " " + Std.string(i * i);
            total += i * i;
        }
        Sys.println(line + " (sum " + Std.string(total) + ")");

        // Letters per name, counted in a map and printed in the guests' order.
        var lengths = new Map<String, Int>();
        for (guest in guests)
            lengths.set(guest, guest.length);
        var parts = [];
        for (guest in guests)
            parts.push(guest + "=" + Std.string(lengths.get(guest)));
        Sys.println("name lengths: " + parts.join(", "));

        trace("done");
    }
}
