import Foundation

/// The account and order routes of the Tradier fake (contract 2.2–2.6).
extension TradierFake {
    static let equitySides: Set<String> = ["buy", "buy_to_cover", "sell", "sell_short"]
    static let optionSides: Set<String> = ["buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close"]
    static let types: Set<String> = ["market", "limit", "stop", "stop_limit"]
    static let durations: Set<String> = ["day", "gtc", "pre", "post"]

    func profile() -> TradierFakeAnswer {
        let accounts = state.withLock { $0.accounts.keys.sorted() }.map { number -> TradierFakeValue in
            .object([
                ("account_number", .string(number)), ("classification", .string("individual")),
                ("date_created", .string("2016-08-01T21:08:55.000Z")), ("day_trader", .bool(false)),
                ("option_level", .int(6)), ("status", .string("active")), ("type", .string(settings.accountType == "cash" ? "cash" : "margin")),
                ("last_update_date", .string("2016-08-01T21:08:55.000Z")),
            ])
        }
        let list: TradierFakeValue = accounts.count == 1 ? accounts[0] : .array(accounts)
        return .ok(.object([("profile", .object([("account", list), ("id", .string("id-fake")), ("name", .string("Fake Trader"))]))]))
    }

    func balances(_ number: String) -> TradierFakeAnswer {
        let (account, type) = state.withLock { ($0.accounts[number] ?? Account(), $0.settings.accountType) }
        let long = account.positions.values.filter { $0.quantity > 0 }.reduce(Decimal(0)) { $0 + $1.costBasis }
        let short = account.positions.values.filter { $0.quantity < 0 }.reduce(Decimal(0)) { $0 + $1.costBasis }
        let pending = account.orders.values.filter { !$0.isFinal }.count
        var members: [(String, TradierFakeValue)] = [
            ("option_short_value", .int(0)), ("total_equity", .long(account.cash + long - short)),
            ("account_number", .string(number)), ("account_type", .string(type)), ("close_pl", .long(Decimal(0))),
            ("current_requirement", .long(long / 2)), ("equity", .int(0)), ("long_market_value", .long(long)),
            ("market_value", .long(long - short)), ("open_pl", .long(Decimal(0))), ("option_long_value", .int(0)),
            ("option_requirement", .int(0)), ("pending_orders_count", .int(pending)), ("short_market_value", .long(-short)),
            ("stock_long_value", .long(long)), ("total_cash", .long(account.cash)), ("uncleared_funds", .int(0)), ("pending_cash", .int(0)),
        ]
        switch type {
        case "cash":
            members.append(("cash", .object([("cash_available", .long(account.cash)), ("sweep", .int(0)), ("unsettled_funds", .int(0))])))
        case "pdt":
            members.append(("pdt", .object([("fed_call", .int(0)), ("maintenance_call", .int(0)), ("option_buying_power", .long(account.cash)),
                                             ("stock_buying_power", .long(account.cash * 4)), ("stock_short_value", .int(0))])))
        default:
            members.append(("margin", .object([("fed_call", .int(0)), ("maintenance_call", .int(0)), ("option_buying_power", .long(account.cash)),
                                                ("stock_buying_power", .long(account.cash * 2)), ("stock_short_value", .int(0)), ("sweep", .int(0))])))
        }
        return .ok(.object([("balances", .object(members))]))
    }

    func positionsAnswer(_ number: String) -> TradierFakeAnswer {
        let (positions, jsonNull) = state.withLock { (($0.accounts[number]?.positions.values).map(Array.init) ?? [], $0.settings.emptyAsJSONNull) }
        let items = positions.sorted { $0.id < $1.id }.map { p -> TradierFakeValue in
            .object([("cost_basis", .long(p.costBasis)), ("date_acquired", TradierFakeValue.isoDate(p.dateAcquired)), ("id", .int(p.id)),
                     ("quantity", .long(p.quantity)), ("symbol", .string(p.symbol))])
        }
        return .ok(.object([("positions", .collection("position", items, jsonNull: jsonNull))]))
    }

    func listOrders(_ number: String, query: [String: String]) -> TradierFakeAnswer {
        let (orders, jsonNull) = state.withLock { (($0.accounts[number]?.orders.values).map(Array.init) ?? [], $0.settings.emptyAsJSONNull) }
        let all = query["filter"] == "all"
        let limit = max(1, Int(query["limit"] ?? "") ?? 25)
        let page = max(1, Int(query["page"] ?? "") ?? 1)
        let selected = orders.filter { all || $0.intraday || !$0.isFinal }.sorted { $0.id < $1.id }
        let pageItems = Array(selected.dropFirst((page - 1) * limit).prefix(limit))
        let items = pageItems.map { Self.orderValue($0, includeTags: query["includeTags"] == "true") }
        return .ok(.object([("orders", .collection("order", items, jsonNull: jsonNull))]))
    }

    func singleOrder(_ number: String, id: Int, includeTags: Bool) -> TradierFakeAnswer {
        guard let order = state.withLock({ $0.accounts[number]?.orders[id] }) else { return .errors(["Order not found"], status: 404) }
        return .ok(.object([("order", Self.orderValue(order, includeTags: includeTags))]))
    }

    static func orderValue(_ o: TradierFakeOrder, includeTags: Bool) -> TradierFakeValue {
        var m: [(String, TradierFakeValue)] = [("id", .int(o.id)), ("type", .string(o.type)), ("symbol", .string(o.symbol)), ("side", .string(o.side)),
                                        ("quantity", .long(o.quantity)), ("status", .string(o.status)), ("duration", .string(o.duration))]
        if let price = o.price { m.append(("price", .long(price))) }
        m += [("avg_fill_price", .long(o.avgFillPrice)), ("exec_quantity", .long(o.execQuantity)), ("last_fill_price", .long(o.lastFillPrice)),
              ("last_fill_quantity", .long(o.lastFillQuantity)), ("remaining_quantity", .long(o.remainingQuantity)),
              ("create_date", TradierFakeValue.isoDate(o.createDate)), ("transaction_date", TradierFakeValue.isoDate(o.transactionDate)),
              ("class", .string(o.orderClass))]
        if let option = o.optionSymbol { m.append(("option_symbol", .string(option))) }
        if let stop = o.stop { m.append(("stop_price", .long(stop))) }
        if let reason = o.reasonDescription { m.append(("reason_description", .string(reason))) }
        if includeTags, let tag = o.tag { m.append(("tag", .string(tag))) }
        return .object(m)
    }

    /// Tradier's checks of a single-leg order form; empty when it is acceptable.
    static func validate(_ form: [String: String]) -> [String] {
        var problems: [String] = []
        let orderClass = form["class"] ?? ""
        let side = form["side"] ?? ""
        let type = form["type"] ?? ""
        if !["equity", "option"].contains(orderClass) { problems.append("class is invalid") }
        if (form["symbol"] ?? "").isEmpty { problems.append("symbol is required") }
        if orderClass == "option" {
            let option = form["option_symbol"] ?? ""
            if !(16...21).contains(option.count) { problems.append("option_symbol is invalid") }
            if !optionSides.contains(side) { problems.append("side is invalid for class option") }
        } else if orderClass == "equity", !equitySides.contains(side) {
            problems.append("side is invalid for class equity")
        }
        if !(Int(form["quantity"] ?? "").map { $0 > 0 } ?? false) { problems.append("IncorrectOrderQuantity") }
        if !types.contains(type) { problems.append("type is invalid for class \(orderClass)") }
        if !durations.contains(form["duration"] ?? "") { problems.append("duration is invalid") }
        if type == "limit" || type == "stop_limit", !(Decimal(string: form["price"] ?? "").map { $0 > 0 } ?? false) { problems.append("price is required for \(type) orders") }
        if type == "stop" || type == "stop_limit", !(Decimal(string: form["stop"] ?? "").map { $0 > 0 } ?? false) { problems.append("stop is required for \(type) orders") }
        if let tag = form["tag"], tag.isEmpty || tag.count > 255 || !tag.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }) {
            problems.append("tag is invalid: letters, numbers and '-' only, at most 255 characters")
        }
        return problems
    }

    func place(_ number: String, form: [String: String]) -> TradierFakeAnswer {
        let preview = form["preview"] == "true"
        let scripted = state.withLock { state -> TradierFakeAnswer? in
            if let errors = state.nextOrderErrors {
                state.nextOrderErrors = nil
                return .errors(errors.messages, status: errors.status, singleString: errors.singleString)
            }
            if preview, let legacy = state.nextPreviewLegacyFailure {
                state.nextPreviewLegacyFailure = nil
                return .ok(.object([("order", .object([("errors", .string(legacy)), ("result", .bool(false)), ("status", .string("Bad Request"))]))]))
            }
            return nil
        }
        if let scripted { return scripted }
        let problems = Self.validate(form)
        if !problems.isEmpty { return .errors(problems, status: settings.validationErrorStatus) }
        var order = TradierFakeOrder(
            orderClass: form["class"] ?? "equity", symbol: form["symbol"] ?? "", optionSymbol: form["option_symbol"], side: form["side"] ?? "",
            quantity: Decimal(string: form["quantity"] ?? "") ?? 0, type: form["type"] ?? "market", duration: form["duration"] ?? "day",
            price: form["price"].flatMap { Decimal(string: $0) }, stop: form["stop"].flatMap { Decimal(string: $0) },
            status: settings.acceptedStatus, tag: form["tag"])
        if preview { return previewAnswer(order) }
        return state.withLock { state in
            state.nextOrderID += 1
            order.id = state.nextOrderID
            state.accounts[number]?.orders[order.id] = order
            let drop = state.dropAfterNextOrder
            state.dropAfterNextOrder = false
            var answer = TradierFakeAnswer.ok(.object([("order", .object([("id", .int(order.id)), ("status", .string("ok")),
                                                                   ("partner_id", .string("c4998eb7-06e8-4820-a7ab-55d9760065fb"))]))]))
            answer.drop = drop
            return answer
        }
    }

    private func previewAnswer(_ order: TradierFakeOrder) -> TradierFakeAnswer {
        let quote = state.withLock { $0.quotes[order.positionSymbol]?.last }
        let price = order.price ?? order.stop ?? quote ?? 100
        let orderCost = order.quantity * price * order.multiplier
        let commission: Decimal = order.orderClass == "option" ? order.quantity * Decimal(35) / 100 : 0
        return .ok(.object([("order", .object([
            ("status", .string("ok")), ("commission", .long(commission)), ("cost", .long(orderCost + commission)), ("fees", .int(0)),
            ("symbol", .string(order.symbol)), ("quantity", .number("\(order.quantity)")), ("side", .string(order.side)),
            ("type", .string(order.type)), ("duration", .string(order.duration)), ("result", .bool(true)),
            ("order_cost", .long(orderCost)), ("margin_change", .int(0)), ("request_date", TradierFakeValue.zonelessDate(Date())),
            ("extended_hours", .bool(false)), ("class", .string(order.orderClass)), ("strategy", .string(order.orderClass)),
            ("day_trades", .int(0)),
        ]))]))
    }

    func cancel(_ number: String, id: Int) -> TradierFakeAnswer {
        state.withLock { state in
            guard let order = state.accounts[number]?.orders[id] else { return .errors(["Order not found"]) }
            if order.isFinal { return .errors(["order already in finalized state: \(order.status)"]) }
            state.accounts[number]?.orders[id]?.status = "canceled"
            state.accounts[number]?.orders[id]?.transactionDate = Date()
            return .ok(.object([("order", .object([("id", .int(id)), ("status", .string("ok"))]))]))
        }
    }

    func modify(_ number: String, id: Int, form: [String: String]) -> TradierFakeAnswer {
        state.withLock { state in
            guard var order = state.accounts[number]?.orders[id] else { return .errors(["Order not found"]) }
            if order.isFinal { return .errors(["order already in finalized state: \(order.status)"]) }
            if form["quantity"] != nil { return .errors(["quantity cannot be changed; cancel and place a new order"]) }
            if let type = form["type"] {
                guard Self.types.contains(type) else { return .errors(["type is invalid"]) }
                order.type = type
            }
            if let duration = form["duration"] {
                guard Self.durations.contains(duration) else { return .errors(["duration is invalid"]) }
                order.duration = duration
            }
            if let price = form["price"] { order.price = Decimal(string: price) }
            if let stop = form["stop"] { order.stop = Decimal(string: stop) }
            if (order.type == "limit" || order.type == "stop_limit") && (order.price ?? 0) <= 0 { return .errors(["price is required for \(order.type) orders"]) }
            if (order.type == "stop" || order.type == "stop_limit") && (order.stop ?? 0) <= 0 { return .errors(["stop is required for \(order.type) orders"]) }
            order.transactionDate = Date()
            state.accounts[number]?.orders[id] = order
            return .ok(.object([("order", .object([("id", .int(id)), ("status", .string("ok"))]))]))
        }
    }
}
