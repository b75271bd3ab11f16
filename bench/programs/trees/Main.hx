// Allocation-heavy: the binary-trees benchmark (many short-lived small objects).
class Node {
    public var left:Node; public var right:Node;
    public function new(l, r) { left = l; right = r; }
    public function check():Int return left == null ? 1 : 1 + left.check() + right.check();
}

class Main {
    static function make(depth:Int):Node return depth == 0 ? new Node(null, null) : new Node(make(depth - 1), make(depth - 1));

    static function main() {
        var maxDepth = 16;
        var longLived = make(maxDepth);
        var total = 0;
        var depth = 4;
        while (depth <= maxDepth) {
            var iterations = 1 << (maxDepth - depth + 4);
            var check = 0;
            for (i in 0...iterations) check += make(depth).check();
            total += check;
            depth += 2;
        }
        Sys.println("trees " + total + " " + longLived.check());
    }
}
