// Call-heavy recursion: about 120 million calls.
class Main {
    static function fib(n:Int):Int return n < 2 ? n : fib(n - 1) + fib(n - 2);

    static function main() {
        var total = 0;
        for (i in 0...4) total += fib(35);
        Sys.println("fib " + total);
    }
}
