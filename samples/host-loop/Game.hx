// Gameplay for the host-loop sample: the C# host (Program.cs) owns the loop and calls
// Game.update once per fixed step. Haxe keeps the game's state in statics and instances,
// talks back to the host through a host native, and schedules a haxe.Timer that the host's
// vm.Update() fires.
//
// Rebuild game.hl after editing (the test suite fails while it is stale):
//     cd samples/host-loop && haxe -main Game -hl game.hl

class Host {
    // A host native: the body is never run, the host binds ("host", "log") when it loads game.hl.
    @:hlNative("host", "log") public static function log(message:String):Void {}
}

class Player {
    public var name:String;
    public var x:Float = 0;
    public var speed:Float;
    public var health:Int = 100;

    public function new(name:String, speed:Float) {
        this.name = name;
        this.speed = speed;
    }

    public function update(dt:Float) {
        x += speed * dt;
    }

    public function hit(damage:Int) {
        health -= damage;
        Host.log(name + " is hit for " + damage + ", health " + health);
    }
}

class Game {
    // Statics: the host reads them with vm.GetClass("Game").Get<int>("score").
    public static var score:Int = 0;
    public static var ticks:Int = 0;
    public static var players:Array<Player> = [];

    static inline var stepsPerSecond = 60;

    static function main() {
        // Haxe creates one player; the host adds another with vm.New("Player", ...).
        join(new Player("Bot", 1.5));
        Host.log("main done, waiting for the host's first step");
    }

    public static function join(player:Player) {
        players.push(player);
        Host.log(player.name + " joins");
    }

    // Called by the host every fixed step, through a typed Action<double>.
    public static function update(dt:Float) {
        ticks++;
        for (p in players)
            p.update(dt);

        // A coin every 20 ticks, for everyone still standing.
        if (ticks % 20 == 0) {
            score += 10 * players.length;
            Host.log("tick " + ticks + ": coins collected, score " + score);
        }

        // Half a second in, a trap hits the player who joined last.
        if (ticks == stepsPerSecond >> 1)
            players[players.length - 1].hit(25);

        // One second in, time is up: show the results a little later, in real time. The timer
        // fires from the host's vm.Update() once 50 ms have passed.
        if (ticks == stepsPerSecond) {
            Host.log("tick " + ticks + ": time is up");
            haxe.Timer.delay(() -> Host.log("timer: results after 50 ms, final score " + score), 50);
        }
    }

    // The host asks for a level that does not exist: the exception reaches it as HlHaxeException.
    public static function loadLevel(name:String) {
        Host.log("loading level " + name);
        findLevel(name);
    }

    static function findLevel(name:String):Int {
        throw "no level named " + name;
    }
}
