using Disclosure.Api.Features.Submissions;
using FluentValidation;

namespace Disclosure.Api.Tests;

/// <summary>
/// The shape validator answers a plainly valid body without running its rules: that short cut must never pass a body the
/// rules refuse, must be taken for the bodies clients send, and must give way to the rules for anything else.
/// </summary>
public sealed class SubmissionShapeValidatorTests
{
    // The same rules with one of its own added: a validator that adds rules is never taken on trust, so this one always
    // runs them all, which is what the short cut is compared with.
    // A body of its own: FastEndpoints takes every validator it finds for an endpoint's request type, the test assembly's too.
    public sealed class Body2 : SubmissionBody;

    // The rules as every submission's validator has them (SubmitRequest.Validator and the dry run's add none).
    private sealed class Shape : SubmissionBody.ShapeValidator<Body2>;

    private sealed class RulesAlways : SubmissionBody.ShapeValidator<Body2>
    {
        public RulesAlways() => RuleFor(r => r.Reporter).Must(_ => true);
    }

    private static Body2 Body(Action<SubmissionBody>? change = null)
    {
        var body = new Body2
        {
            Reporter = "town-a",
            Period = "2014",
            Catalogue = "gov-info-disclosure-2014",
            Values = [.. SeedTable.Values.Select(v => (ValueItem?)new ValueItem { Code = v.Key, Value = v.Value })],
        };
        change?.Invoke(body);
        return body;
    }

    private static string Long(int length) => new('a', length);

    // Bodies at the edges of every rule, inside them.
    public static TheoryData<string, Action<SubmissionBody>?> Passing => new()
    {
        { "the seed table", null },
        { "an expected revision of 0", b => b.ExpectedRevision = 0 },
        { "no values at all", b => b.Values = [] },
        { "the longest reporter id", b => b.Reporter = "r" + Long(63) },
        { "the longest period and catalogue", b => { b.Period = Long(16); b.Catalogue = Long(64); } },
        { "the longest code and unit", b => b.Values![0] = new ValueItem { Code = Long(64), Unit = Long(16), Value = 1 } },
        { "as many values as allowed", b => b.Values = [.. Enumerable.Repeat<ValueItem?>(new ValueItem { Code = "1.1" }, Shape.MaxValues)] },
    };

    // Bodies just outside one rule each.
    public static TheoryData<string, Action<SubmissionBody>> Failing => new()
    {
        { "no reporter", b => b.Reporter = null },
        { "a blank reporter", b => b.Reporter = "  " },
        { "a reporter id with a capital", b => b.Reporter = "Town-a" },
        { "a reporter id ending in a line feed", b => b.Reporter = "town-a\n" },
        { "a reporter id too long", b => b.Reporter = "r" + Long(64) },
        { "no period", b => b.Period = null },
        { "a blank period", b => b.Period = "\t" },
        { "a period too long", b => b.Period = Long(17) },
        { "no catalogue", b => b.Catalogue = "" },
        { "a catalogue too long", b => b.Catalogue = Long(65) },
        { "no values", b => b.Values = null },
        { "too many values", b => b.Values = [.. Enumerable.Repeat<ValueItem?>(new ValueItem { Code = "1.1" }, Shape.MaxValues + 1)] },
        { "a null item", b => b.Values![3] = null },
        { "an item without a code", b => b.Values![3] = new ValueItem { Value = 1 } },
        { "a blank code", b => b.Values![3] = new ValueItem { Code = " ", Value = 1 } },
        { "a code too long", b => b.Values![3] = new ValueItem { Code = Long(65), Value = 1 } },
        { "a unit too long", b => b.Values![3] = new ValueItem { Code = "1.1", Unit = Long(17), Value = 1 } },
        { "a negative expected revision", b => b.ExpectedRevision = -1 },
    };

    [Theory]
    [MemberData(nameof(Passing))]
    public async Task A_Body_Inside_Every_Rule_Is_Passed_By_The_Short_Cut_And_By_The_Rules(string _, Action<SubmissionBody>? change)
    {
        var body = Body(change);
        Assert.True(SubmissionBody.ShapeValidator<Body2>.IsPlainlyValid(body));
        Assert.True((await new RulesAlways().ValidateAsync(body, TestContext.Current.CancellationToken)).IsValid);
        Assert.True((await new Shape().ValidateAsync(body, TestContext.Current.CancellationToken)).IsValid);
    }

    [Theory]
    [MemberData(nameof(Failing))]
    public async Task A_Body_Outside_A_Rule_Is_Not_Taken_On_Trust_And_Gets_The_Rules_Errors(string _, Action<SubmissionBody> change)
    {
        var body = Body(change);
        Assert.False(SubmissionBody.ShapeValidator<Body2>.IsPlainlyValid(body));
        var rules = await new RulesAlways().ValidateAsync(body, TestContext.Current.CancellationToken);
        var validator = await new Shape().ValidateAsync(body, TestContext.Current.CancellationToken);
        Assert.False(rules.IsValid);
        Assert.Equal(rules.Errors.Select(e => (e.PropertyName, e.ErrorMessage)), validator.Errors.Select(e => (e.PropertyName, e.ErrorMessage)));
    }

    [Fact]
    public async Task A_Validator_That_Adds_A_Rule_Runs_It_Even_For_A_Plainly_Valid_Body()
    {
        Assert.True(SubmissionBody.ShapeValidator<Body2>.IsPlainlyValid(Body()));
        var result = await new RefusingPeriod().ValidateAsync(Body(), TestContext.Current.CancellationToken);
        // "period" once FastEndpoints has started in this process (it sets FluentValidation's global name resolver), "Period" before.
        Assert.Equal(["period"], result.Errors.Select(e => e.PropertyName.ToLowerInvariant()));
    }

    private sealed class RefusingPeriod : SubmissionBody.ShapeValidator<Body2>
    {
        public RefusingPeriod() => RuleFor(r => r.Period).Must(_ => false);
    }
}
