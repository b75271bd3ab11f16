// Anonymous structures and Dynamic: structural field access, dynamic reads and writes.
typedef Point = { x:Float, y:Float, ?label:String };

class Main {
    static function length(p:Point):Float return Math.sqrt(p.x * p.x + p.y * p.y);

    static function main() {
        var sum = 0.0;
        var points:Array<Point> = [for (i in 0...1000) { x: i, y: i * 0.5 }];
        for (round in 0...1000) {
            for (p in points) {
                sum += length(p);
                p.x = p.x + 1;
            }
        }
        var dyn:Dynamic = { count: 0, total: 0.0 };
        for (i in 0...1000000) {
            dyn.count = dyn.count + 1;
            dyn.total += i;
        }
        Sys.println("dynamic " + Math.round(sum) + " " + dyn.count + " " + dyn.total);
    }
}
