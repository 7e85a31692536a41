/** The baseline of the start-up benchmark: the cheapest Java program that prints a line. */
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
