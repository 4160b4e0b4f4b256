//! The grammar proper: chumsky parsers for types, expressions, statements
//! and items, with their error recovery.

use super::*;

pub(super) fn sp(span: SimpleSpan) -> Span {
    span.into_range()
}

pub(super) fn mk(kind: ExprKind, span: SimpleSpan) -> Expr {
    Expr {
        id: ExprId::UNASSIGNED,
        kind,
        span: sp(span),
    }
}

/// The parsers the grammar is made of, shared by files and REPL lines.
pub(super) struct Grammar<'t> {
    /// A whole expression, metabolic constructs included.
    full: P<'t, Expr>,
    /// Statements with error recovery (`None` for an empty `;`).
    stmt: P<'t, Option<Stmt>>,
    /// Statements without recovery (REPL top level).
    stmt_strict: P<'t, Option<Stmt>>,
    /// Items with error recovery (`None` for a skipped erroneous item).
    item: P<'t, Option<Item>>,
}

pub(super) fn ident<'t>() -> P<'t, Ident> {
    select! { Token::Ident(name) = e => Ident { name, span: sp(e.span()) } }
        .labelled("identifier")
        .boxed()
}

pub(super) fn type_parser<'t>() -> P<'t, TypeExpr> {
    recursive(|ty| {
        let named = select! { Token::Ident(name) = e => {
            let span = sp(e.span());
            match name.as_str() {
                "int" => TypeKind::Int,
                "float" => TypeKind::Float,
                "bool" => TypeKind::Bool,
                "str" => TypeKind::Str,
                "vec" => TypeKind::Vec,
                "reading" => TypeKind::Reading,
                _ => TypeKind::Named(Ident { name, span }),
            }
        }};
        let base = choice((
            named,
            just(Token::Cell).to(TypeKind::Cell),
            just(Token::Gradient).to(TypeKind::Gradient),
            ty.delimited_by(just(Token::LBracket), just(Token::RBracket))
                .map(|t| TypeKind::List(Box::new(t))),
        ))
        .map_with(|kind, e| TypeExpr {
            kind,
            span: sp(e.span()),
        });
        let question = choice((
            just(Token::Question).to(1usize),
            just(Token::QuestionQuestion).to(2usize),
        ));
        base.foldl_with(question.repeated(), |mut t, n, e| {
            for _ in 0..n {
                t = TypeExpr {
                    kind: TypeKind::Optional(Box::new(t)),
                    span: sp(e.span()),
                };
            }
            t
        })
        .labelled("type")
    })
    .boxed()
}

/// Recovery for a broken value that a `;` ends (`let x = 1 +;`): skips to
/// that `;` (not consumed; brackets balanced) and stands for an
/// [`ExprKind::Error`], so the declaration itself survives and later phases
/// know its name. Fails if a `}` or the end comes first.
pub(super) fn value_until_semi<'t>() -> P<'t, Expr> {
    custom(
        move |inp: &mut chumsky::input::InputRef<'t, '_, Tok<'t>, Extra<'t>>| {
            let start = inp.cursor();
            let mut open: Vec<Token> = Vec::new();
            while let Some(tok) = inp.peek() {
                if matches!(tok, Token::Semi | Token::RBrace) {
                    // A `(` or `[` still open here was the error: abandon it.
                    while matches!(open.last(), Some(Token::LParen | Token::LBracket)) {
                        open.pop();
                    }
                }
                if open.is_empty() {
                    if tok == Token::Semi {
                        return Ok(mk(ExprKind::Error, inp.span_since(&start)));
                    }
                    if tok == Token::RBrace || ends_declaration(&tok) {
                        break;
                    }
                }
                match tok {
                    Token::LParen | Token::LBrace | Token::LBracket => open.push(tok),
                    Token::RParen | Token::RBrace | Token::RBracket => {
                        open.pop();
                    }
                    _ => {}
                }
                inp.skip();
            }
            let span = inp.span_since(&start);
            Err(Rich::custom(span, "no `;` to recover at"))
        },
    )
    .boxed()
}

/// Tokens that can only begin a new statement, member or item: a value
/// followed by one of them is missing its `;`.
pub(super) fn ends_declaration(tok: &Token) -> bool {
    starts_statement(tok)
        || matches!(
            tok,
            Token::Use
                | Token::Gradient
                | Token::Signal
                | Token::Membrane
                | Token::Const
                | Token::Fn
                | Token::Cell
                | Token::Ecosystem
                | Token::On
                | Token::Metabolism
        )
}

/// Skips an erroneous stretch for error recovery: at least one token, then
/// up to (not including) a token of `stop` outside brackets. Tokens of
/// `hard` are never skipped outside brackets, not even as the first token.
/// Brackets are skipped as balanced groups. Written by hand so that
/// skipping records no parse errors of its own.
pub(super) fn skip_bad<'t>(stop: Vec<Token>, hard: Vec<Token>) -> P<'t, ()> {
    custom(
        move |inp: &mut chumsky::input::InputRef<'t, '_, Tok<'t>, Extra<'t>>| {
            let start = inp.cursor();
            // Open brackets; a `(` or `[` left open when a `;` or `}` comes is
            // abandoned (it was the error), so the skip cannot run away.
            let mut open: Vec<Token> = Vec::new();
            let mut count = 0usize;
            while let Some(tok) = inp.peek() {
                if matches!(tok, Token::Semi | Token::RBrace) {
                    while matches!(open.last(), Some(Token::LParen | Token::LBracket)) {
                        open.pop();
                    }
                }
                if open.is_empty() && (hard.contains(&tok) || (count > 0 && stop.contains(&tok))) {
                    break;
                }
                match tok {
                    Token::LParen | Token::LBrace | Token::LBracket => open.push(tok),
                    Token::RParen if open.last() == Some(&Token::LParen) => {
                        open.pop();
                    }
                    Token::RBracket if open.last() == Some(&Token::LBracket) => {
                        open.pop();
                    }
                    Token::RBrace if open.last() == Some(&Token::LBrace) => {
                        open.pop();
                    }
                    _ => {}
                }
                inp.skip();
                count += 1;
            }
            if count == 0 {
                let span = inp.span_since(&start);
                return Err(Rich::custom(span, "nothing to skip"));
            }
            Ok(())
        },
    )
    .boxed()
}

/// The expression-level parsers statements and items are built from.
struct Exprs<'t> {
    /// A whole expression, metabolic constructs included.
    full: P<'t, Expr>,
    /// An operator expression (no metabolic construct at its top).
    expr: P<'t, Expr>,
    /// An operator expression for the head of `if`/`while`/`for`: no
    /// signal literal outside brackets.
    expr_no_struct: P<'t, Expr>,
    /// `{ f: e, ... }` of signal literals, `spawn` and `differentiate`.
    field_inits: P<'t, Vec<FieldInit>>,
    /// A name.
    ident: P<'t, Ident>,
    /// A type.
    ty: P<'t, TypeExpr>,
}

/// The statement-level parsers items are built from.
struct Stmts<'t> {
    /// Statements with error recovery.
    stmt: P<'t, Option<Stmt>>,
    /// Statements without recovery.
    stmt_strict: P<'t, Option<Stmt>>,
    /// `{ stmt* }` with error recovery.
    block: P<'t, Block>,
    /// `expr ;` whose recovery keeps the declaration it ends.
    value_then_semi: P<'t, Expr>,
}

pub(super) fn grammar<'t>(min_literals: std::rc::Rc<Vec<Span>>) -> Grammar<'t> {
    let exprs = expressions(min_literals);
    let stmts = statements(&exprs);
    let item = items(&exprs, &stmts);
    Grammar {
        full: exprs.full,
        stmt: stmts.stmt,
        stmt_strict: stmts.stmt_strict,
        item,
    }
}

fn expressions<'t>(min_literals: std::rc::Rc<Vec<Span>>) -> Exprs<'t> {
    let mut full: Recursive<chumsky::recursive::Indirect<'t, 't, Tok<'t>, Expr, Extra<'t>>> =
        Recursive::declare();
    let ident = ident();
    let ty = type_parser();

    let args = full
        .clone()
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LParen), just(Token::RParen))
        .boxed();

    let field_init = ident
        .clone()
        .then_ignore(just(Token::Colon))
        .then(full.clone())
        .map_with(|(name, value), e| FieldInit {
            name,
            value,
            span: sp(e.span()),
        });
    let field_inits = field_init
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBrace), just(Token::RBrace))
        .boxed();

    let literal = select! {
        Token::Int(v) => ExprKind::Int(v),
        Token::Float(v) => ExprKind::Float(v),
        Token::Str(s) => ExprKind::Str(s),
        Token::True => ExprKind::Bool(true),
        Token::False => ExprKind::Bool(false),
        Token::None => ExprKind::None,
        Token::SelfKw => ExprKind::SelfRef,
        Token::Sender => ExprKind::Sender,
        Token::Error => ExprKind::Error,
    }
    .map_with(|k, e| mk(k, e.span()));

    let world = just(Token::World)
        .ignore_then(just(Token::Dot))
        .ignore_then(ident.clone())
        .map_with(|name, e| mk(ExprKind::World(name), e.span()));
    let sense = just(Token::Sense)
        .ignore_then(ident.clone())
        .map_with(|name, e| mk(ExprKind::Sense(name), e.span()));
    let call = ident
        .clone()
        .then(args.clone())
        .map_with(|(callee, args), e| mk(ExprKind::Call { callee, args }, e.span()));
    let signal_lit = ident
        .clone()
        .then(field_inits.clone())
        .map_with(|(name, fields), e| mk(ExprKind::SignalLit { name, fields }, e.span()));
    let name = ident
        .clone()
        .map_with(|name, e| mk(ExprKind::Name(name), e.span()));
    let paren = just(Token::LParen)
        .ignore_then(full.clone())
        .then(just(Token::Comma).ignore_then(full.clone()).or_not())
        .then_ignore(just(Token::RParen))
        .map_with(|(x, y), e| match y {
            Some(y) => mk(
                ExprKind::Vec {
                    x: Box::new(x),
                    y: Box::new(y),
                },
                e.span(),
            ),
            None => x,
        })
        .recover_with(via_parser(nested_delimiters(
            Token::LParen,
            Token::RParen,
            [
                (Token::LBracket, Token::RBracket),
                (Token::LBrace, Token::RBrace),
            ],
            |span| mk(ExprKind::Error, span),
        )));
    let list = full
        .clone()
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBracket), just(Token::RBracket))
        .map_with(|items, e| mk(ExprKind::List(items), e.span()))
        .recover_with(via_parser(nested_delimiters(
            Token::LBracket,
            Token::RBracket,
            [
                (Token::LParen, Token::RParen),
                (Token::LBrace, Token::RBrace),
            ],
            |span| mk(ExprKind::Error, span),
        )));

    let atom_with_struct = choice((
        literal,
        world.clone(),
        sense.clone(),
        call.clone(),
        signal_lit,
        name.clone(),
        paren.clone(),
        list.clone(),
    ))
    .labelled("expression")
    .boxed();
    let atom_no_struct = choice((literal, world, sense, call, name, paren, list))
        .labelled("expression")
        .boxed();

    enum Postfix {
        Field(Ident),
        Method(Ident, Vec<Expr>),
        Index(Expr),
    }
    let postfix_op = choice((
        just(Token::Dot)
            .ignore_then(ident.clone())
            .then(args.clone().or_not())
            .map(|(name, args)| match args {
                Some(args) => Postfix::Method(name, args),
                None => Postfix::Field(name),
            }),
        full.clone()
            .delimited_by(just(Token::LBracket), just(Token::RBracket))
            .map(Postfix::Index),
    ))
    .boxed();

    let with_postfix = |atom: P<'t, Expr>| -> P<'t, Expr> {
        atom.foldl_with(postfix_op.clone().repeated(), |base, op, e| {
            let kind = match op {
                Postfix::Field(field) => ExprKind::Field {
                    base: Box::new(base),
                    field,
                },
                Postfix::Method(method, args) => ExprKind::MethodCall {
                    receiver: Box::new(base),
                    method,
                    args,
                },
                Postfix::Index(index) => ExprKind::Index {
                    base: Box::new(base),
                    index: Box::new(index),
                },
            };
            mk(kind, e.span())
        })
        .boxed()
    };

    let operators = |operand: P<'t, Expr>| -> P<'t, Expr> {
        let min_literals = min_literals.clone();
        let binary = |lhs: Expr, op: BinaryOp, rhs: Expr, span: SimpleSpan| {
            mk(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            )
        };
        operand
            .pratt((
                prefix(
                    7,
                    select! { Token::Minus => UnaryOp::Neg, Token::Bang => UnaryOp::Not },
                    move |op, operand: Expr, e| {
                        // `-9223372036854775808` is the int `i64::MIN`.
                        if op == UnaryOp::Neg
                            && operand.kind == ExprKind::Int(i64::MIN)
                            && min_literals.contains(&operand.span)
                        {
                            return mk(ExprKind::Int(i64::MIN), e.span());
                        }
                        mk(
                            ExprKind::Unary {
                                op,
                                operand: Box::new(operand),
                            },
                            e.span(),
                        )
                    },
                ),
                infix(
                    left(6),
                    select! {
                        Token::Star => BinaryOp::Mul,
                        Token::Slash => BinaryOp::Div,
                        Token::Percent => BinaryOp::Rem,
                    },
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
                infix(
                    left(5),
                    select! { Token::Plus => BinaryOp::Add, Token::Minus => BinaryOp::Sub },
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
                infix(
                    right(4),
                    just(Token::QuestionQuestion).to(BinaryOp::Coalesce),
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
                infix(
                    left(3),
                    select! {
                        Token::EqEq => BinaryOp::Eq,
                        Token::NotEq => BinaryOp::Ne,
                        Token::Lt => BinaryOp::Lt,
                        Token::LtEq => BinaryOp::Le,
                        Token::Gt => BinaryOp::Gt,
                        Token::GtEq => BinaryOp::Ge,
                    },
                    move |l: Expr, op, r, e| {
                        let span: SimpleSpan = e.span();
                        let chained = matches!(
                            &l.kind,
                            ExprKind::Binary { op: inner, .. } if is_comparison(*inner)
                        ) && l.span.start == span.start;
                        if chained {
                            e.emit(custom_error(
                                codes::CHAINED_COMPARISON,
                                span,
                                "comparison operators cannot be chained",
                            ));
                        }
                        binary(l, op, r, span)
                    },
                ),
                infix(
                    left(2),
                    just(Token::AndAnd).to(BinaryOp::And),
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
                infix(
                    left(1),
                    just(Token::OrOr).to(BinaryOp::Or),
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
            ))
            .labelled("expression")
            .boxed()
    };

    let expr = operators(with_postfix(atom_with_struct));
    let expr_no_struct = operators(with_postfix(atom_no_struct));

    // The metabolic constructs that have a value.
    let emit = just(Token::Emit)
        .ignore_then(ident.clone())
        .then(expr.clone().or_not())
        .map_with(|(gradient, strength), e| {
            mk(
                ExprKind::Emit {
                    gradient,
                    strength: strength.map(Box::new),
                },
                e.span(),
            )
        });
    let bind = just(Token::Bind)
        .ignore_then(expr.clone())
        .map_with(|x, e| mk(ExprKind::Bind(Box::new(x)), e.span()));
    let unbind = just(Token::Unbind)
        .ignore_then(expr.clone())
        .map_with(|x, e| mk(ExprKind::Unbind(Box::new(x)), e.span()));
    let move_ = just(Token::Move)
        .ignore_then(expr.clone())
        .map_with(|x, e| mk(ExprKind::Move(Box::new(x)), e.span()));
    let send = just(Token::Send)
        .ignore_then(expr.clone())
        .then_ignore(just(Token::To))
        .then(expr.clone())
        .map_with(|(signal, target), e| {
            mk(
                ExprKind::Send {
                    signal: Box::new(signal),
                    target: Box::new(target),
                },
                e.span(),
            )
        });
    let spawn = just(Token::Spawn)
        .ignore_then(ident.clone())
        .then(field_inits.clone().or_not())
        .then(just(Token::At).ignore_then(expr.clone()).or_not())
        .then(just(Token::In).ignore_then(ident.clone()).or_not())
        .map_with(|(((cell, inits), at), membrane), e| {
            mk(
                ExprKind::Spawn(SpawnExpr {
                    cell,
                    inits: inits.unwrap_or_default(),
                    at: at.map(Box::new),
                    membrane,
                }),
                e.span(),
            )
        });
    full.define(
        choice((emit, bind, unbind, move_, send, spawn, expr.clone())).labelled("expression"),
    );
    let full = full.boxed();

    Exprs {
        full,
        expr,
        expr_no_struct,
        field_inits,
        ident,
        ty,
    }
}

fn statements<'t>(exprs: &Exprs<'t>) -> Stmts<'t> {
    let full = exprs.full.clone();
    let expr = exprs.expr.clone();
    let expr_no_struct = exprs.expr_no_struct.clone();
    let field_inits = exprs.field_inits.clone();
    let ident = exprs.ident.clone();
    let ty = exprs.ty.clone();
    // ----- statements -----
    let mut block: Recursive<chumsky::recursive::Indirect<'t, 't, Tok<'t>, Block, Extra<'t>>> =
        Recursive::declare();
    let semi = just(Token::Semi);

    // `expr ;` where a broken expression still yields the declaration.
    // Recovery keeps the value when only the `;` is missing (a `}` or a
    // keyword that starts the next declaration follows), else skips to the
    // `;` and stands for an error value.
    let missing_semi = full.clone().then_ignore(
        any()
            .filter(|t: &Token| *t == Token::RBrace || ends_declaration(t))
            .rewind(),
    );
    let value_then_semi = full
        .clone()
        .then_ignore(semi.clone())
        .recover_with(via_parser(missing_semi))
        .recover_with(via_parser(value_until_semi().then_ignore(semi.clone())))
        .boxed();

    let let_stmt = just(Token::Let)
        .ignore_then(just(Token::Mut).or_not().map(|m| m.is_some()))
        .then(ident.clone())
        .then(just(Token::Colon).ignore_then(ty.clone()).or_not())
        .then_ignore(just(Token::Eq))
        .then(value_then_semi.clone())
        .map(|(((mutable, name), ty), value)| StmtKind::Let {
            mutable,
            name,
            ty,
            value,
        });

    let condition = choice((
        just(Token::Let)
            .ignore_then(ident.clone())
            .then_ignore(just(Token::Eq))
            .then(expr_no_struct.clone())
            .map(|(name, value)| Condition::Let { name, value }),
        expr_no_struct.clone().map(Condition::Expr),
    ));
    let if_stmt = recursive(|if_stmt| {
        just(Token::If)
            .ignore_then(condition)
            .then(block.clone())
            .then(
                just(Token::Else)
                    .ignore_then(choice((
                        if_stmt.map(|i| ElseBranch::If(Box::new(i))),
                        block.clone().map(ElseBranch::Block),
                    )))
                    .or_not(),
            )
            .map_with(|((cond, then_block), else_branch), e| IfStmt {
                cond,
                then_block,
                else_branch,
                span: sp(e.span()),
            })
    })
    .map(StmtKind::If);

    let while_stmt = just(Token::While)
        .ignore_then(expr_no_struct.clone())
        .then(block.clone())
        .map(|(cond, body)| StmtKind::While { cond, body });

    let for_stmt = just(Token::For)
        .ignore_then(ident.clone())
        .then_ignore(just(Token::In))
        .then(
            expr_no_struct
                .clone()
                .then(
                    just(Token::DotDot)
                        .ignore_then(expr_no_struct.clone())
                        .or_not(),
                )
                .map(|(start, end)| match end {
                    Some(end) => ForIter::Range { start, end },
                    None => ForIter::Expr(start),
                }),
        )
        .then(block.clone())
        .map(|((var, iter), body)| StmtKind::For { var, iter, body });

    let simple = choice((
        just(Token::Break).to(StmtKind::Break),
        just(Token::Continue).to(StmtKind::Continue),
        just(Token::Die).to(StmtKind::Die),
        just(Token::Return)
            .ignore_then(full.clone().or_not())
            .map(StmtKind::Return),
        just(Token::Report)
            .ignore_then(expr.clone())
            .map(StmtKind::Report),
        just(Token::Differentiate)
            .ignore_then(ident.clone())
            .then(field_inits.clone().or_not())
            .map(|(target, inits)| StmtKind::Differentiate {
                target,
                inits: inits.unwrap_or_default(),
            }),
        just(Token::Sleep).ignore_then(choice((
            just(Token::Until)
                .ignore_then(ident.clone())
                .then_ignore(just(Token::Gt))
                .then(expr.clone())
                .map(|(gradient, threshold)| {
                    StmtKind::Sleep(SleepKind::Until {
                        gradient,
                        threshold,
                    })
                }),
            expr.clone().map(|n| StmtKind::Sleep(SleepKind::Ticks(n))),
        ))),
        just(Token::World)
            .ignore_then(just(Token::Dot))
            .ignore_then(ident.clone())
            .then_ignore(just(Token::Eq))
            .then(full.clone())
            .map(|(setting, value)| StmtKind::WorldSet { setting, value }),
    ))
    .then_ignore(semi.clone());

    let assign_op = select! {
        Token::Eq => AssignOp::Set,
        Token::PlusEq => AssignOp::Add,
        Token::MinusEq => AssignOp::Sub,
        Token::StarEq => AssignOp::Mul,
        Token::SlashEq => AssignOp::Div,
    };
    let assign_or_expr = full
        .clone()
        .then(assign_op.then(full.clone()).or_not())
        .then_ignore(semi.clone())
        .validate(|(lhs, rhs), _e, emitter| match rhs {
            None => StmtKind::Expr(lhs),
            Some((op, value)) => match expr_to_place(lhs) {
                Ok(target) => StmtKind::Assign { target, op, value },
                Err(span) => {
                    emitter.emit(custom_error(
                        codes::INVALID_ASSIGN_TARGET,
                        SimpleSpan::from(span),
                        "invalid left-hand side of assignment",
                    ));
                    StmtKind::Expr(value)
                }
            },
        });

    let stmt_kind = choice((
        let_stmt,
        if_stmt,
        while_stmt,
        for_stmt,
        simple,
        assign_or_expr,
    ))
    .map_with(|kind, e| {
        Some(Stmt {
            kind,
            span: sp(e.span()),
        })
    });
    let stmt_strict = choice((semi.clone().to(None), stmt_kind)).boxed();
    // Recovery: skip the bad statement up to its `;`, or up to a keyword
    // that can only start a statement (the usual case of a missing `;`).
    let stmt_starts = vec![
        Token::Semi,
        Token::RBrace,
        Token::Let,
        Token::If,
        Token::While,
        Token::For,
        Token::Return,
        Token::Break,
        Token::Continue,
        Token::Report,
        Token::Die,
        Token::Sleep,
        Token::Differentiate,
    ];
    let stmt = stmt_strict
        .clone()
        .recover_with(via_parser(
            skip_bad(stmt_starts, vec![Token::Semi, Token::RBrace])
                .then(semi.clone().or_not())
                .to(None),
        ))
        .boxed();

    block.define(
        stmt.clone()
            .repeated()
            .collect::<Vec<_>>()
            .delimited_by(just(Token::LBrace), just(Token::RBrace))
            .map_with(|stmts, e| Block {
                stmts: stmts.into_iter().flatten().collect(),
                span: sp(e.span()),
            })
            .recover_with(via_parser(nested_delimiters(
                Token::LBrace,
                Token::RBrace,
                [
                    (Token::LParen, Token::RParen),
                    (Token::LBracket, Token::RBracket),
                ],
                |span| Block {
                    stmts: Vec::new(),
                    span: sp(span),
                },
            ))),
    );
    let block = block.boxed();

    Stmts {
        stmt,
        stmt_strict,
        block,
        value_then_semi,
    }
}

fn items<'t>(exprs: &Exprs<'t>, stmts: &Stmts<'t>) -> P<'t, Option<Item>> {
    let full = exprs.full.clone();
    let ident = exprs.ident.clone();
    let ty = exprs.ty.clone();
    let block = stmts.block.clone();
    let value_then_semi = stmts.value_then_semi.clone();
    let semi = just(Token::Semi);
    // ----- items -----
    let param = ident
        .clone()
        .then_ignore(just(Token::Colon))
        .then(ty.clone())
        .map_with(|(name, ty), e| Param {
            name,
            ty,
            span: sp(e.span()),
        });
    let fn_decl = just(Token::Fn)
        .ignore_then(ident.clone())
        .then(
            param
                .separated_by(just(Token::Comma))
                .allow_trailing()
                .collect::<Vec<_>>()
                .delimited_by(just(Token::LParen), just(Token::RParen)),
        )
        .then(just(Token::Arrow).ignore_then(ty.clone()).or_not())
        .then(block.clone())
        .map_with(|(((name, params), ret), body), e| FnDecl {
            name,
            params,
            ret,
            body,
            span: sp(e.span()),
        })
        .boxed();

    let use_decl = just(Token::Use)
        .ignore_then(choice((
            select! { Token::Ident(n) if n == "std" => () }
                .ignore_then(just(Token::ColonColon))
                .ignore_then(ident.clone())
                .map(UseTarget::Std),
            select! { Token::Str(path) = e => UseTarget::Path { path, span: sp(e.span()) } },
        )))
        .then_ignore(semi.clone())
        .map_with(|target, e| {
            Item::Use(UseDecl {
                target,
                span: sp(e.span()),
            })
        });

    let gradient_settings = ident
        .clone()
        .then_ignore(just(Token::Colon))
        .then(full.clone())
        .map_with(|(name, value), e| FieldInit {
            name,
            value,
            span: sp(e.span()),
        })
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBrace), just(Token::RBrace));
    let gradient = just(Token::Gradient)
        .ignore_then(ident.clone())
        .then(choice((
            semi.clone().to(Vec::new()),
            gradient_settings.then_ignore(semi.clone().or_not()),
        )))
        .validate(|(name, settings), e, emitter| {
            let mut decl = GradientDecl {
                name,
                range: None,
                falloff: None,
                persist: None,
                span: sp(e.span()),
            };
            for setting in settings {
                let slot = match setting.name.name.as_str() {
                    "range" => &mut decl.range,
                    "falloff" => &mut decl.falloff,
                    "persist" => &mut decl.persist,
                    other => {
                        emitter.emit(custom_error(
                            codes::UNKNOWN_GRADIENT_SETTING,
                            SimpleSpan::from(setting.name.span.clone()),
                            format!(
                                "unknown gradient setting `{other}` (expected `range`, `falloff` or `persist`)"
                            ),
                        ));
                        continue;
                    }
                };
                if slot.is_some() {
                    emitter.emit(custom_error(
                        codes::DUPLICATE_GRADIENT_SETTING,
                        SimpleSpan::from(setting.name.span.clone()),
                        format!("gradient setting `{}` given twice", setting.name.name),
                    ));
                    continue;
                }
                *slot = Some(setting.value);
            }
            Item::Gradient(decl)
        });

    let signal = just(Token::Signal)
        .ignore_then(ident.clone())
        .then(
            ident
                .clone()
                .then_ignore(just(Token::Colon))
                .then(ty.clone())
                .map_with(|(name, ty), e| SignalField {
                    name,
                    ty,
                    span: sp(e.span()),
                })
                .separated_by(just(Token::Comma))
                .allow_trailing()
                .collect::<Vec<_>>()
                .delimited_by(just(Token::LBrace), just(Token::RBrace)),
        )
        .then_ignore(semi.clone().or_not())
        .map_with(|(name, fields), e| {
            Item::Signal(SignalDecl {
                name,
                fields,
                span: sp(e.span()),
            })
        });

    let membrane = just(Token::Membrane)
        .ignore_then(ident.clone())
        .then_ignore(semi.clone())
        .map_with(|name, e| {
            Item::Membrane(MembraneDecl {
                name,
                span: sp(e.span()),
            })
        });

    let const_decl = just(Token::Const)
        .ignore_then(ident.clone())
        .then_ignore(just(Token::Colon))
        .then(ty.clone())
        .then_ignore(just(Token::Eq))
        .then(value_then_semi.clone())
        .map_with(|((name, ty), value), e| {
            Item::Const(ConstDecl {
                name,
                ty,
                value,
                span: sp(e.span()),
            })
        });

    let field = ident
        .clone()
        .then_ignore(just(Token::Colon))
        .then(ty.clone())
        .then_ignore(just(Token::Eq))
        .then(value_then_semi.clone())
        .map_with(|((name, ty), default), e| {
            CellMember::Field(FieldDecl {
                name,
                ty,
                default,
                span: sp(e.span()),
            })
        });
    let metabolism = just(Token::Metabolism)
        .ignore_then(block.clone())
        .map_with(|body, e| {
            CellMember::Metabolism(Metabolism {
                body,
                span: sp(e.span()),
            })
        });
    let handler = just(Token::On)
        .ignore_then(choice((
            just(Token::Spawn).to(HandlerTrigger::Spawn),
            just(Token::Apoptosis).to(HandlerTrigger::Apoptosis),
            ident
                .clone()
                .then(
                    ident
                        .clone()
                        .delimited_by(just(Token::LParen), just(Token::RParen)),
                )
                .map(|(signal, binding)| HandlerTrigger::Signal { signal, binding }),
        )))
        .then(block.clone())
        .map_with(|(trigger, body), e| {
            CellMember::Handler(Handler {
                trigger,
                body,
                span: sp(e.span()),
            })
        });
    let member = choice((
        field,
        metabolism,
        handler,
        fn_decl.clone().map(CellMember::Method),
    ))
    .map(Some)
    .recover_with(via_parser(
        skip_bad(
            vec![
                Token::Semi,
                Token::RBrace,
                Token::Fn,
                Token::On,
                Token::Metabolism,
            ],
            vec![Token::Semi, Token::RBrace],
        )
        .then(semi.clone().or_not())
        .to(None),
    ));
    let cell = just(Token::Cell)
        .ignore_then(ident.clone())
        .then(
            member
                .repeated()
                .collect::<Vec<_>>()
                .delimited_by(just(Token::LBrace), just(Token::RBrace)),
        )
        .map_with(|(name, members), e| {
            Item::Cell(CellDecl {
                name,
                members: members.into_iter().flatten().collect(),
                span: sp(e.span()),
            })
        });

    let ecosystem = just(Token::Ecosystem)
        .ignore_then(block.clone())
        .map_with(|body, e| {
            Item::Ecosystem(EcosystemDecl {
                body,
                span: sp(e.span()),
            })
        });

    let item_starts = vec![
        Token::Use,
        Token::Gradient,
        Token::Signal,
        Token::Membrane,
        Token::Const,
        Token::Fn,
        Token::Cell,
        Token::Ecosystem,
    ];
    choice((
        use_decl,
        gradient,
        signal,
        membrane,
        const_decl,
        fn_decl.map(Item::Fn),
        cell,
        ecosystem,
    ))
    .labelled("item")
    .map(Some)
    .recover_with(via_parser(skip_bad(item_starts, Vec::new()).to(None)))
    .boxed()
}

pub(super) fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    )
}

/// Turns the left side of an assignment into a place, or gives the span of
/// the part that is not one.
pub(super) fn expr_to_place(expr: Expr) -> Result<Place, Span> {
    let span = expr.span.clone();
    let kind = match expr.kind {
        ExprKind::Name(name) => PlaceKind::Local(name),
        ExprKind::Field { base, field } => match base.kind {
            ExprKind::SelfRef => PlaceKind::SelfField(field),
            _ => PlaceKind::Field {
                base: Box::new(expr_to_place(*base)?),
                field,
            },
        },
        ExprKind::Index { base, index } => PlaceKind::Index {
            base: Box::new(expr_to_place(*base)?),
            index,
        },
        _ => return Err(span),
    };
    Ok(Place { kind, span })
}

pub(super) fn program_parser<'t>(
    min_literals: std::rc::Rc<Vec<Span>>,
) -> impl Parser<'t, Tok<'t>, Program, Extra<'t>> {
    let g = grammar(min_literals);
    g.item
        .repeated()
        .collect::<Vec<_>>()
        .then_ignore(end())
        .map(|items| Program {
            items: items.into_iter().flatten().collect(),
            expr_count: 0,
            span: 0..0,
        })
}

pub(super) fn repl_parser<'t>(
    min_literals: std::rc::Rc<Vec<Span>>,
) -> impl Parser<'t, Tok<'t>, ReplInput, Extra<'t>> {
    let g = grammar(min_literals);
    let item_line = g
        .item
        .repeated()
        .at_least(1)
        .collect::<Vec<_>>()
        .then_ignore(end())
        .map(|items| ReplInput {
            items: items.into_iter().flatten().collect(),
            stmts: Vec::new(),
            tail: None,
            expr_count: 0,
        });
    let stmt_line = g
        .stmt_strict
        .repeated()
        .collect::<Vec<_>>()
        .then(g.full.or_not())
        .then_ignore(end())
        .map(|(stmts, tail)| ReplInput {
            items: Vec::new(),
            stmts: stmts.into_iter().flatten().collect(),
            tail,
            expr_count: 0,
        });
    let starts_item = any::<Tok<'t>, Extra<'t>>()
        .filter(|t: &Token| {
            matches!(
                t,
                Token::Use
                    | Token::Gradient
                    | Token::Signal
                    | Token::Membrane
                    | Token::Const
                    | Token::Fn
                    | Token::Cell
                    | Token::Ecosystem
            )
        })
        .rewind();
    // Statements inside blocks still recover; the top level is strict so a
    // trailing expression is not mistaken for a statement missing its `;`.
    let _ = g.stmt;
    choice((starts_item.ignore_then(item_line), stmt_line))
}
