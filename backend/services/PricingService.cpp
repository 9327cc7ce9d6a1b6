#include "services/PricingService.h"

#include "pricing/RuleSetYaml.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

#include <algorithm>

namespace flywheel {

namespace {

v1::RuleKind toProto(pricing::RuleKind kind)
{
    switch (kind) {
    case pricing::RuleKind::SkuPrice:
        return v1::RULE_KIND_SKU_PRICE;
    case pricing::RuleKind::CategoryPrice:
        return v1::RULE_KIND_CATEGORY_PRICE;
    case pricing::RuleKind::SegmentPrice:
        return v1::RULE_KIND_SEGMENT_PRICE;
    case pricing::RuleKind::PercentOff:
        return v1::RULE_KIND_PERCENT_OFF;
    case pricing::RuleKind::Threshold:
        return v1::RULE_KIND_THRESHOLD;
    }
    return v1::RULE_KIND_UNSPECIFIED;
}

v1::RuleState toProto(pricing::RuleState state)
{
    switch (state) {
    case pricing::RuleState::Active:
        return v1::RULE_STATE_ACTIVE;
    case pricing::RuleState::Scheduled:
        return v1::RULE_STATE_SCHEDULED;
    case pricing::RuleState::Expired:
        return v1::RULE_STATE_EXPIRED;
    case pricing::RuleState::Disabled:
        return v1::RULE_STATE_DISABLED;
    }
    return v1::RULE_STATE_UNSPECIFIED;
}

void toProto(const pricing::PricingRule &r, TimePoint now, v1::PricingRule *out)
{
    out->set_id(r.id);
    out->set_name(r.name);
    out->set_kind(toProto(r.kind));
    out->set_enabled(r.enabled);
    out->set_priority(r.priority);
    out->set_stackable(r.stackable);
    out->set_exclusion_group(r.exclusionGroup);
    if (r.startsAt)
        convert::toProto(*r.startsAt, out->mutable_starts_at());
    if (r.endsAt)
        convert::toProto(*r.endsAt, out->mutable_ends_at());
    out->set_per_user_limit(r.perUserLimit);
    for (const auto &sku : r.scope.skus)
        out->add_scope_skus(sku);
    for (const auto &category : r.scope.categories)
        out->add_scope_categories(category);
    out->set_unit_price_minor(r.unitPrice.minorUnits());
    out->set_percent_of_list_bp(r.percentOfList);
    out->set_segment(r.segment);
    out->set_percent_off_bp(r.percentOff);
    out->set_max_off_minor(r.maxOff ? r.maxOff->minorUnits() : 0);
    for (const auto &t : r.tiers) {
        auto *tier = out->add_tiers();
        tier->set_spend_minor(t.spend.minorUnits());
        tier->set_off_minor(t.off.minorUnits());
    }
    out->set_state(toProto(pricing::ruleState(r, now)));
}

/// Why `kind` names no rule kind, for the field "kind".
std::string kindProblem(v1::RuleKind kind)
{
    const std::string choose = "choose sku_price, category_price, segment_price, percent_off or threshold";
    if (kind == v1::RULE_KIND_UNSPECIFIED)
        return "kind is missing (RULE_KIND_UNSPECIFIED): " + choose;
    return "kind " + convert::enumName<v1::RuleKind>(kind) + " is not a rule kind: " + choose;
}

/// One draft rule, unchecked; nullopt when its kind is missing or unknown (kindProblem).
std::optional<pricing::PricingRule> ruleFromProto(const v1::PricingRule &p)
{
    pricing::PricingRule r;
    r.id = p.id();
    r.name = p.name();
    switch (p.kind()) {
    case v1::RULE_KIND_SKU_PRICE:
        r.kind = pricing::RuleKind::SkuPrice;
        break;
    case v1::RULE_KIND_CATEGORY_PRICE:
        r.kind = pricing::RuleKind::CategoryPrice;
        break;
    case v1::RULE_KIND_SEGMENT_PRICE:
        r.kind = pricing::RuleKind::SegmentPrice;
        break;
    case v1::RULE_KIND_PERCENT_OFF:
        r.kind = pricing::RuleKind::PercentOff;
        break;
    case v1::RULE_KIND_THRESHOLD:
        r.kind = pricing::RuleKind::Threshold;
        break;
    default:
        return std::nullopt;
    }
    r.enabled = p.enabled();
    r.priority = p.priority();
    r.stackable = p.stackable();
    r.exclusionGroup = p.exclusion_group();
    if (p.has_starts_at())
        r.startsAt = convert::fromProto(p.starts_at());
    if (p.has_ends_at())
        r.endsAt = convert::fromProto(p.ends_at());
    r.perUserLimit = p.per_user_limit();
    r.scope.skus.assign(p.scope_skus().begin(), p.scope_skus().end());
    r.scope.categories.assign(p.scope_categories().begin(), p.scope_categories().end());
    r.unitPrice = Money(p.unit_price_minor());
    r.percentOfList = p.percent_of_list_bp();
    r.segment = p.segment();
    r.percentOff = p.percent_off_bp();
    if (p.max_off_minor() != 0)
        r.maxOff = Money(p.max_off_minor());
    for (const auto &t : p.tiers())
        r.tiers.push_back(pricing::Tier{Money(t.spend_minor()), Money(t.off_minor())});
    return r;
}

/// Converts draft rules (unchecked); the error names the rule whose kind is wrong.
Result<std::vector<pricing::PricingRule>> fromProto(const google::protobuf::RepeatedPtrField<v1::PricingRule> &rules)
{
    std::vector<pricing::PricingRule> out;
    for (int i = 0; i < rules.size(); ++i) {
        auto rule = ruleFromProto(rules[i]);
        if (!rule)
            return Error{ErrorCode::InvalidArgument, "rules[" + std::to_string(i) + "] (\"" + rules[i].id() +
                                                         "\"): " + kindProblem(rules[i].kind())};
        out.push_back(std::move(*rule));
    }
    return out;
}

void toProto(const StoredRuleSet &stored, const std::vector<pricing::PricingRule> &rules, TimePoint now,
             v1::RuleSetVersion *out)
{
    out->set_version(stored.version);
    out->set_reason(stored.reason);
    out->set_source(stored.source);
    out->set_yaml(stored.yaml);
    convert::toProto(stored.createdAt, out->mutable_created_at());
    for (const auto &rule : rules)
        toProto(rule, now, out->add_rules());
}

void toProto(const pricing::Quote &quote, v1::CartQuote *out)
{
    out->set_list_total_minor(quote.listTotal.minorUnits());
    out->set_total_minor(quote.total.minorUnits());
    for (const auto &a : quote.adjustments) {
        auto *adjustment = out->add_adjustments();
        adjustment->set_rule_id(a.ruleId);
        adjustment->set_rule_name(a.ruleName);
        adjustment->set_amount_minor(a.amount.minorUnits());
    }
}

} // namespace

grpc::ServerUnaryReactor *PricingServiceImpl::GetRuleSet(grpc::CallbackServerContext *context,
                                                         const v1::GetRuleSetRequest *request,
                                                         v1::RuleSetVersion *response)
{
    const TimePoint now = m_context.clock.now();
    const auto active = m_pricing.current();
    if (request->version() == 0 || request->version() == active->rules.version) {
        toProto(active->stored, active->rules.rules, now, response);
        return finished(context, grpc::Status::OK);
    }
    try {
        const auto stored = m_context.store.pricing.ruleSet(request->version());
        if (!stored)
            return finished(context, {grpc::StatusCode::NOT_FOUND,
                                      "there is no rule set version " + std::to_string(request->version())});
        auto parsed = pricing::parseRuleSetYaml(stored->yaml, "version", nullptr);
        if (auto *rules = std::get_if<std::vector<pricing::PricingRule>>(&parsed))
            toProto(*stored, *rules, now, response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *PricingServiceImpl::ListRuleSetVersions(grpc::CallbackServerContext *context,
                                                                  const v1::ListRuleSetVersionsRequest *request,
                                                                  v1::ListRuleSetVersionsResponse *response)
{
    if (request->limit() < 0 || request->limit() > 500)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "limit must be between 0 and 500, got " + std::to_string(request->limit())});
    const TimePoint now = m_context.clock.now();
    try {
        for (const StoredRuleSet &stored :
             m_context.store.pricing.ruleSets(request->limit() == 0 ? 50 : request->limit())) {
            auto parsed = pricing::parseRuleSetYaml(stored.yaml, "version", nullptr);
            const auto *rules = std::get_if<std::vector<pricing::PricingRule>>(&parsed);
            toProto(stored, rules != nullptr ? *rules : std::vector<pricing::PricingRule>{}, now,
                    response->add_versions());
        }
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *PricingServiceImpl::SaveRuleSet(grpc::CallbackServerContext *context,
                                                          const v1::SaveRuleSetRequest *request,
                                                          v1::RuleSetVersion *response)
{
    auto rules = fromProto(request->rules());
    if (!rules.ok())
        return finished(context, convert::toStatus(rules.error()));
    const auto saved = m_pricing.save(request->base_version(), std::move(rules).value(), request->reason(),
                                      actorOf(m_context.callers, *context));
    if (!saved.ok())
        return finished(context, convert::toStatus(saved.error()));
    const auto active = m_pricing.current();
    toProto(saved.value(), active->rules.rules, m_context.clock.now(), response);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *PricingServiceImpl::RollbackRuleSet(grpc::CallbackServerContext *context,
                                                              const v1::RollbackRuleSetRequest *request,
                                                              v1::RuleSetVersion *response)
{
    const auto saved =
        m_pricing.rollback(request->to_version(), request->reason(), actorOf(m_context.callers, *context));
    if (!saved.ok())
        return finished(context, convert::toStatus(saved.error()));
    const auto active = m_pricing.current();
    toProto(saved.value(), active->rules.rules, m_context.clock.now(), response);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *PricingServiceImpl::QuoteCart(grpc::CallbackServerContext *context,
                                                        const v1::QuoteCartRequest *request,
                                                        v1::QuoteCartResponse *response)
{
    v1::CreateOrderRequest asOrder;
    asOrder.set_uid(request->uid());
    *asOrder.mutable_items() = request->items();
    const TimePoint now = m_context.clock.now();
    const Result<Order> cart = priceOrder(convert::fromProto(asOrder), m_context.catalog, m_context.users, now);
    if (!cart.ok())
        return finished(context, convert::toStatus(cart.error()));
    const auto active = m_pricing.current();
    toProto(m_pricing.preview(active->rules, cart.value().lines, request->uid(), now), response->mutable_live());
    response->set_live_version(active->rules.version);
    if (!request->draft_rules().empty()) {
        auto draft = fromProto(request->draft_rules());
        if (!draft.ok())
            return finished(context, convert::toStatus(draft.error()));
        std::vector<pricing::PricingRule> rules = std::move(draft).value();
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if (const std::string problem = pricing::validateRule(rules[i], &m_context.catalog); !problem.empty())
                return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                          "rules[" + std::to_string(i) + "] (\"" + rules[i].id + "\"): " + problem});
        }
        pricing::sortForEvaluation(rules);
        toProto(m_pricing.preview(pricing::RuleSet{0, std::move(rules)}, cart.value().lines, request->uid(), now),
                response->mutable_draft());
    }
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *PricingServiceImpl::ValidateRuleSet(grpc::CallbackServerContext *context,
                                                              const v1::ValidateRuleSetRequest *request,
                                                              v1::ValidateRuleSetResponse *response)
{
    if (request->rules_size() > static_cast<int>(pricing::kMaxRules))
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "at most " + std::to_string(pricing::kMaxRules) +
                                                                          " rules are allowed, got " +
                                                                          std::to_string(request->rules_size())});
    // Rules without a kind cannot be checked further; the others keep their index.
    std::vector<pricing::PricingRule> rules;
    std::vector<int> indexes;
    std::vector<v1::RuleProblem> problems;
    for (int i = 0; i < request->rules_size(); ++i) {
        const v1::PricingRule &p = request->rules(i);
        if (auto rule = ruleFromProto(p)) {
            rules.push_back(std::move(*rule));
            indexes.push_back(i);
            continue;
        }
        v1::RuleProblem &problem = problems.emplace_back();
        problem.set_rule_index(i);
        problem.set_rule_id(p.id());
        problem.set_field("kind");
        problem.set_message(kindProblem(p.kind()));
    }
    const std::vector<std::string> otherIds(request->other_ids().begin(), request->other_ids().end());
    for (const pricing::RuleSetProblem &p : pricing::ruleSetProblems(rules, &m_context.catalog, otherIds)) {
        v1::RuleProblem &problem = problems.emplace_back();
        problem.set_rule_index(indexes[p.index]);
        problem.set_rule_id(rules[p.index].id);
        problem.set_field(p.problem.field);
        problem.set_message(p.problem.message);
    }
    std::stable_sort(problems.begin(), problems.end(), [](const v1::RuleProblem &a, const v1::RuleProblem &b) {
        return a.rule_index() < b.rule_index();
    });
    for (v1::RuleProblem &problem : problems)
        *response->add_problems() = std::move(problem);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *PricingServiceImpl::GetPricingStatus(grpc::CallbackServerContext *context,
                                                               const v1::GetPricingStatusRequest *,
                                                               v1::PricingStatus *response)
{
    const pricing::PricingStatus status = m_pricing.status();
    response->set_current_version(status.currentVersion);
    response->set_file(status.file);
    response->set_reloads_succeeded(status.reloadsSucceeded);
    response->set_reloads_failed(status.reloadsFailed);
    response->set_last_error(status.lastError);
    if (!status.lastError.empty())
        convert::toProto(status.lastErrorAt, response->mutable_last_error_at());
    return finished(context, grpc::Status::OK);
}

} // namespace flywheel
