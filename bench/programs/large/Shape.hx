enum Shape {
    Circle(r:Float);
    Rect(w:Float, h:Float);
    Poly(points:Array<{x:Float, y:Float}>);
}
