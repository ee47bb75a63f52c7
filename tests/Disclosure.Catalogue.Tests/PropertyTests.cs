using CsCheck;

namespace Disclosure.Catalogue.Tests;

/// <summary>Tables generated to satisfy the catalogue pass; breaking one sum or one part is always caught.</summary>
public sealed class PropertyTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;
    private const int Iterations = 2000;

    [Fact]
    public void Generated_Tables_Satisfy_Every_Rule_By_The_Generators_Own_Reckoning()
    {
        ValidTables.For(C).Sample(t =>
        {
            foreach (var rule in C.Rules)
                foreach (var cmp in rule.Comparisons)
                    Assert.NotEqual(false, ValidTables.Holds(rule.Source.Blank, cmp, t.Effective));
            foreach (var part in C.Parts)
                if (t.Given[part.Part] is { } p) Assert.True(t.Effective[part.Whole] is { } w && p <= w);
        }, iter: Iterations);
    }

    [Fact]
    public void Tables_That_Satisfy_The_Catalogue_Always_Pass()
    {
        ValidTables.For(C).Sample(t =>
        {
            var result = TableValidator.Validate(C, t.Period, t.Input());
            Assert.Empty(result.Violations);
            Assert.Equal(t.Effective, result.Values);
            for (var i = 0; i < t.Given.Length; i++)
                Assert.Equal(t.Given[i] is null && t.Effective[i] is not null, result.Derived[i]);
        }, iter: Iterations);
    }

    [Fact]
    public void Changing_One_Child_Of_A_Given_Sum_Parent_Always_Yields_A_Sum_Violation_Naming_The_Parent()
    {
        var gen = Gen.Select(ValidTables.For(C), Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[1, 5000], Gen.Bool);
        gen.Sample((t, pickSum, pickChild, size, down) =>
        {
            // A parent that is given and has a child given: a parent standing alone has no breakdown to break.
            var candidates = C.Sums.Where(s => t.Given[s.Parent] is not null && s.Children.Any(c => t.Effective[c] is not null)).ToList();
            if (candidates.Count == 0) return;
            var sum = candidates[pickSum % candidates.Count];
            var child = sum.Children[pickChild % sum.Children.Length];
            var now = t.Effective[child] ?? 0;
            var delta = Delta(size, C.Cells[child].Decimals);
            if (down && now > 0) delta = -Math.Min(delta, now); // stays non-negative, still non-zero

            var input = t.Input();
            input[child] = new InputValue(C.Cells[child].Code, now + delta);
            var result = TableValidator.Validate(C, t.Period, input);
            Assert.Contains(result.Violations, v => v.Rule == RuleIds.Sum && v.Codes[0] == C.Cells[sum.Parent].Code);
        }, iter: Iterations);
    }

    [Fact]
    public void Raising_A_Part_Above_Its_Whole_Always_Yields_A_Part_Violation_Naming_The_Part()
    {
        var gen = Gen.Select(ValidTables.For(C), Gen.Int[0, 1000], Gen.Int[1, 5000]);
        gen.Sample((t, pick, size) =>
        {
            var candidates = C.Parts.Where(p => t.Effective[p.Whole] is not null).ToList();
            if (candidates.Count == 0) return;
            var part = candidates[pick % candidates.Count];
            var above = t.Effective[part.Whole]!.Value + Delta(size, C.Cells[part.Part].Decimals);

            var input = t.Input();
            input[part.Part] = new InputValue(C.Cells[part.Part].Code, above);
            var result = TableValidator.Validate(C, t.Period, input);
            Assert.Contains(result.Violations, v => v.Rule == RuleIds.Part && v.Codes[0] == C.Cells[part.Part].Code);
        }, iter: Iterations);
    }

    [Fact]
    public void Generator_Reaches_The_Interesting_Cases()
    {
        var tables = Enumerable.Range(0, 300).Select(_ => ValidTables.For(C).Single()).ToList();
        int Idx(string code) => C.TryGetIndex(code, out var i) ? i : -1;
        // Nested derivation, a parent standing alone, a zero-policy rule with blanks, and a part given.
        Assert.Contains(tables, t => t.Given[Idx("3.3.4")] is null && t.Effective[Idx("3.3.4")] is not null && t.Given[Idx("3.3")] is null);
        Assert.Contains(tables, t => t.Given[Idx("10")] is not null && t.Given[Idx("10.1")] is null && t.Given[Idx("10.2")] is null);
        Assert.Contains(tables, t => t.Given[Idx("1.1")] is not null && t.Given[Idx("1.2.1")] is null);
        Assert.Contains(tables, t => t.Given[Idx("1.1.a")] is not null);
        Assert.Contains(tables, t => t.Given[Idx("12.2")] is not null && t.Given[Idx("12.2")] == t.Effective[Idx("9")]);
    }

    /// <summary>A non-zero amount in the cell's smallest step (1 for counts, 0.01 for 万元).</summary>
    private static decimal Delta(int size, int decimals) => decimals == 0 ? size : size / 100m;
}
